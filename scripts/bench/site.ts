/**
 * `npm run bench:site`: buildSite() on the benchmark snapshots (a copy, so the results cache beside it starts
 * cold), then a rebuild after one more month, beside an Astro build of a throwaway project with the same number
 * of pages holding only a heading. Each part runs in its own process. Targets (issue 5): full build under
 * 90 s, every page under 150 KB gzip, zero required JavaScript (no <script> but pagefind's search).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ensureData, printSql, machineNote, printTable, removeDir, runPart, SNAPSHOTS_DIR, tempDir, type PartResult, type Row } from './common.ts';

const FULL_TARGET = 90;
const PAGE_TARGET_KB = 150;

interface PageStats {
  pages: number;
  largest: { file: string; gzipBytes: number; bytes: number };
  medianGzipBytes: number;
  withScript: number;
  scriptExamples: string[];
  jsFiles: number;
}

const JS_TYPES = new Set(['', 'module', 'text/javascript', 'application/javascript', 'text/ecmascript', 'application/ecmascript']);

/** The scripts of a page a visitor's browser would run, pagefind's search excepted. */
export function requiredScripts(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const [whole, attrs, body] = m;
    const type = /\btype\s*=\s*["']?([^"'\s>]+)/i.exec(attrs)?.[1].toLowerCase() ?? '';
    if (!JS_TYPES.has(type)) continue; // JSON, JSON-LD, templates: data, not code
    if (/pagefind/i.test(attrs) || /pagefind/i.test(body)) continue;
    found.push(whole.replace(/\s+/g, ' ').slice(0, 120));
  }
  return found;
}

function pageStats(dir: string): PageStats {
  const sizes: number[] = [];
  const stats: PageStats = { pages: 0, largest: { file: '', gzipBytes: 0, bytes: 0 }, medianGzipBytes: 0, withScript: 0, scriptExamples: [], jsFiles: 0 };
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    if (/\.m?js$/.test(e.name) && !path.relative(dir, file).startsWith('pagefind')) stats.jsFiles++;
    if (!e.name.endsWith('.html')) continue;
    const html = fs.readFileSync(file);
    const gzip = zlib.gzipSync(html).length;
    sizes.push(gzip);
    stats.pages++;
    if (gzip > stats.largest.gzipBytes) stats.largest = { file: path.relative(dir, file), gzipBytes: gzip, bytes: html.length };
    const scripts = requiredScripts(html.toString('utf8'));
    if (scripts.length) {
      stats.withScript++;
      for (const s of scripts) if (stats.scriptExamples.length < 3 && !stats.scriptExamples.includes(s)) stats.scriptExamples.push(s);
    }
  }
  sizes.sort((a, b) => a - b);
  stats.medianGzipBytes = sizes[Math.floor(sizes.length / 2)] ?? 0;
  return stats;
}

/** A throwaway Astro project whose `n` pages hold only a heading. */
function referenceProject(root: string, n: number): void {
  fs.mkdirSync(path.join(root, 'src', 'pages'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'astro.config.mjs'),
    `export default { output: 'static', trailingSlash: 'always', build: { format: 'directory' }, devToolbar: { enabled: false } };\n`,
  );
  fs.writeFileSync(
    path.join(root, 'src', 'pages', '[...slug].astro'),
    `---
export function getStaticPaths() {
  return Array.from({ length: ${n} }, (_, i) => ({ params: { slug: i === 0 ? undefined : \`page/\${i}\` } }));
}
const { slug } = Astro.params;
---
<html lang="en"><head><meta charset="utf-8"><title>Page {slug ?? 'home'}</title></head><body><h1>Page {slug ?? 'home'}</h1></body></html>
`,
  );
}

const kb = (bytes: number) => bytes / 1024;

const marker = ensureData();
console.log(`bench:site — snapshots of ${marker.snapshots.kept} events; ${machineNote()}`);
const tmp = tempDir('site');
let full: PartResult, fullPages: PageStats, append: PartResult, rebuild: PartResult, rebuildPages: PageStats, ref: PartResult, refPages: number;
try {
  const snapshots = path.join(tmp, 'data', 'snapshots');
  fs.cpSync(SNAPSHOTS_DIR, snapshots, { recursive: true });
  const content = path.join(tmp, 'content');
  fs.mkdirSync(content);
  const out = path.join(tmp, 'site');
  full = await runPart('buildSite full (cold KPI cache)', 'site', { snapshots, content, out });
  fullPages = pageStats(out);
  append = await runPart('snapshot() of one more month (info)', 'snapshot', { inputs: marker.next.files, out: snapshots });
  rebuild = await runPart('buildSite after one more month', 'site', { snapshots, content, out });
  rebuildPages = pageStats(out);
  fs.rmSync(out, { recursive: true, force: true });

  const refRoot = path.join(tmp, 'astro-reference');
  referenceProject(refRoot, fullPages.pages);
  const refOut = path.join(refRoot, 'dist');
  ref = await runPart(`Astro build of ${fullPages.pages} heading-only pages (reference)`, 'astro', { root: refRoot, outDir: refOut });
  refPages = pageStats(refOut).pages;
} finally {
  removeDir(tmp);
}

const resultsTime = (r: PartResult) => r.data.marks?.find((m: { line: string }) => m.line.startsWith('computed'))?.at as number | undefined;
const split = (r: PartResult) => {
  const t = resultsTime(r);
  return t === undefined ? '' : `KPIs ${t.toFixed(1)} s + Astro/pagefind ${(r.seconds - t).toFixed(1)} s; `;
};
const pagesNote = (p: PageStats) =>
  `${p.pages} pages, largest ${kb(p.largest.gzipBytes).toFixed(0)} KB gzip (${p.largest.file}), median ${kb(p.medianGzipBytes).toFixed(1)} KB, ${p.withScript} with a required script`;
const pagesMet = (p: PageStats) => kb(p.largest.gzipBytes) < PAGE_TARGET_KB;
const scriptShare = (p: PageStats) => (p.pages ? p.withScript / p.pages : 0);

const rows: Row[] = [
  { label: ref.label, seconds: ref.seconds, rssMb: ref.rssMb, ratio: 1, note: `${refPages} pages` },
  { label: full.label, seconds: full.seconds, rssMb: full.rssMb, ratio: full.seconds / ref.seconds, target: `<${FULL_TARGET} s`, met: full.seconds < FULL_TARGET, note: `${split(full)}${full.data.periods} periods` },
  { label: '  pages of the full build', target: `<${PAGE_TARGET_KB} KB gzip`, met: pagesMet(fullPages), note: pagesNote(fullPages) },
  { label: '  required JavaScript', target: '0 pages', met: fullPages.withScript === 0, note: `${(scriptShare(fullPages) * 100).toFixed(1)}% of pages; ${fullPages.jsFiles} .js files outside pagefind/` },
  { label: append.label, seconds: append.seconds, rssMb: append.rssMb, note: `${append.data.kept} events kept` },
  { label: rebuild.label, seconds: rebuild.seconds, rssMb: rebuild.rssMb, ratio: rebuild.seconds / ref.seconds, note: `${split(rebuild)}${rebuild.data.periods} periods` },
  { label: '  pages of the rebuild', target: `<${PAGE_TARGET_KB} KB gzip`, met: pagesMet(rebuildPages), note: pagesNote(rebuildPages) },
];
printTable('bench:site (MB = 2^20 bytes, KB = 1024 bytes; peak RSS of the part\'s process and the helpers it waited for)', rows);
for (const r of [full, append, rebuild, ref]) printSql(r);
if (fullPages.scriptExamples.length) console.log(`  required scripts, e.g.:\n${fullPages.scriptExamples.map((s) => `    ${s}`).join('\n')}`);
const met = full.seconds < FULL_TARGET && pagesMet(fullPages) && pagesMet(rebuildPages) && fullPages.withScript === 0 && rebuildPages.withScript === 0;
console.log(
  `\nsummary: site full build ${full.seconds.toFixed(1)} s (${(full.seconds / ref.seconds).toFixed(1)}× Astro's ${ref.seconds.toFixed(1)} s for ${refPages} bare pages), ` +
    `${full.rssMb.toFixed(0)} MB peak, ${fullPages.pages} pages, largest ${kb(fullPages.largest.gzipBytes).toFixed(0)} KB gzip, ` +
    `${(scriptShare(fullPages) * 100).toFixed(1)}% with required JS; rebuild after one month ${rebuild.seconds.toFixed(1)} s: targets ${met ? 'met' : 'NOT met'}`,
);
