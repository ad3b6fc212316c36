import fs from 'node:fs';
import path from 'node:path';
import { parseHTML } from 'linkedom';

export interface PageIndex {
  /** Site path (`/month/2026-01/`) → the ids on that page. */
  ids: Map<string, Set<string>>;
  /** Site path → every internal reference on it (href or src, resolved to a site path with an optional #anchor). */
  links: Map<string, string[]>;
  duplicateIds: string[];
}

const external = /^(?:[a-z]+:|\/\/)/i;

function sitePathOf(root: string, file: string): string {
  const rel = path.relative(root, file).split(path.sep).join('/');
  return '/' + (rel.endsWith('index.html') ? rel.slice(0, -'index.html'.length) : rel);
}

/** Reads every HTML page of a built site: its ids and the internal links it makes. */
export function indexSite(root: string): PageIndex {
  const index: PageIndex = { ids: new Map(), links: new Map(), duplicateIds: [] };
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.html')) continue;
    const file = path.join(entry.parentPath, entry.name);
    const page = sitePathOf(root, file);
    const { document } = parseHTML(fs.readFileSync(file, 'utf8'));
    const ids = new Set<string>();
    for (const el of document.querySelectorAll('[id]')) {
      const id = el.getAttribute('id')!;
      if (ids.has(id)) index.duplicateIds.push(`${page}#${id}`);
      ids.add(id);
    }
    index.ids.set(page, ids);
    const refs: string[] = [];
    for (const el of document.querySelectorAll('a[href], link[href], script[src]')) {
      const ref = el.getAttribute('href') ?? el.getAttribute('src')!;
      if (external.test(ref)) continue;
      refs.push(new URL(ref, `http://site${page}`).pathname + (ref.includes('#') ? `#${ref.split('#')[1]}` : ''));
    }
    index.links.set(page, refs);
  }
  return index;
}

/** Every internal link or anchor that does not resolve, as `from → to`. */
export function brokenLinks(root: string, index: PageIndex): string[] {
  const broken: string[] = [];
  for (const [from, refs] of index.links) {
    for (const ref of refs) {
      const [target, anchor] = ref.split('#');
      const file = path.join(root, target.endsWith('/') ? `${target}index.html` : target);
      if (!fs.existsSync(file)) broken.push(`${from} → ${ref} (no file)`);
      else if (anchor && target.endsWith('/') && !index.ids.get(target)?.has(decodeURIComponent(anchor))) broken.push(`${from} → ${ref} (no anchor)`);
    }
  }
  return broken;
}
