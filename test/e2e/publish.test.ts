import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { VersionsFile } from '../../src/publish/publication.ts';
import { writeSample } from '../../src/sample/generate.ts';
import { serveStatic } from '../../src/serve/static.ts';
import { treeState, under } from '../publish/helpers.ts';
import { launchBrowser } from './browser.ts';
import { brokenLinks, indexSite } from './links.ts';

/**
 * The scheduled job's script (`npm run regenerate`) run three times on a small fixture (one month, 300
 * conversations) with the real build: a first version, an unchanged run, late-arriving data. Then the tree is
 * served under /reviews/ and browsed: latest → a period → its permalink → back to latest.
 */

const root = path.resolve(import.meta.dirname, '..', '..');
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let dir: string;
let tree: string;
let runs: { stdout: string; outputs: string }[] = [];
let afterFirst: Record<string, string>;
let afterSecond: Record<string, string>;
let browser: Browser | null;
let server: Awaited<ReturnType<typeof serveStatic>>;

async function regenerate(): Promise<{ stdout: string; outputs: string }> {
  const outputs = path.join(dir, `github-output-${runs.length}`);
  fs.writeFileSync(outputs, '');
  const args = ['scripts/regenerate.ts', '--config', path.join(dir, 'kpi-review.config.json'), '--snapshots', path.join(dir, 'snapshots'), '--content', path.join(dir, 'content'), '--out', tree];
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: root, env: { ...process.env, GITHUB_OUTPUT: outputs, GITHUB_STEP_SUMMARY: '' } });
  const run = { stdout, outputs: fs.readFileSync(outputs, 'utf8') };
  runs.push(run);
  return run;
}

/** A conversation of January that arrives after the first version was published. */
function lateEvents(): string {
  const events = [];
  for (let i = 0; i < 20; i++) {
    const c = `late-${i}`;
    const ts = (s: number) => new Date(Date.UTC(2026, 0, 20, 9, i, s)).toISOString();
    events.push(
      { event_id: `${c}-1`, ts: ts(0), conversation_id: c, type: 'conversation_started', channel: 'web', intent: 'billing' },
      { event_id: `${c}-2`, ts: ts(5), conversation_id: c, type: 'user_message' },
      { event_id: `${c}-3`, ts: ts(6), conversation_id: c, type: 'bot_message', latency_ms: 800, fallback: false },
      { event_id: `${c}-4`, ts: ts(9), conversation_id: c, type: 'resolved' },
    );
  }
  return events.map((e) => JSON.stringify(e)).join('\n') + '\n';
}

const versions = () => (JSON.parse(fs.readFileSync(path.join(tree, 'versions.json'), 'utf8')) as VersionsFile).versions;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-e2e-publish-'));
  tree = path.join(dir, 'site');
  await writeSample(path.join(dir, 'exports'), { start: '2026-01', months: 1, conversations: 300 });
  fs.writeFileSync(
    path.join(dir, 'kpi-review.config.json'),
    JSON.stringify({ inputs: ['exports'], human_contact_cost_usd: 5, site: { title: 'Published fixture', base: '/reviews/' } }),
  );
  fs.mkdirSync(path.join(dir, 'content', 'reviews', 'month'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'content', 'annotations'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'content', 'reviews', 'month', '2026-01.mdx'),
    '---\ntitle: "January: a first look"\nstatus: final\nauthors: [Dana Ortiz]\nsummary: The first month of the bot.\nprimary_kpi: resolution_rate\n---\n\nA quiet first month.\n',
  );
  await regenerate();
  afterFirst = treeState(tree);
  await regenerate();
  afterSecond = treeState(tree);
  fs.writeFileSync(path.join(dir, 'exports', 'late-arrivals.ndjson'), lateEvents());
  await regenerate();
  server = await serveStatic(tree, { base: '/reviews/' });
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dir && !process.env.KEEP_FIXTURE) fs.rmSync(dir, { recursive: true, force: true });
});

describe('npm run regenerate on a small fixture', () => {
  it('publishes a first version and reports what arrived and the latest month', () => {
    const [first] = runs;
    expect(first.stdout).toMatch(/^== data$/m);
    expect(first.stdout).toMatch(/months written: 2026-01/);
    expect(first.stdout).toMatch(/^published version \d{4}-\d{2}-\d{2}T\d{6}Z-[0-9a-f]{8} /m);
    expect(first.stdout).toMatch(/^latest month 2026-01/m);
    expect(first.stdout).toMatch(/^ {2}Resolution rate: \d+\.\d%$/m);
    expect(first.outputs).toBe(`published=true\nversion=${versions()[0].id}\n`);
  });

  it('publishes nothing when nothing changed, says so, and leaves the tree byte-identical', () => {
    expect(runs[1].stdout).toMatch(/already in the snapshots, skipped/);
    expect(runs[1].stdout).toMatch(/^unchanged since version \S+ .*nothing published/m);
    expect(runs[1].outputs).toMatch(/^published=false$/m);
    expect(afterSecond).toEqual(afterFirst);
  });

  it('publishes late-arriving data as a new version and names the periods whose figures changed', () => {
    const third = runs[2].stdout;
    expect(third).toMatch(/months written: 2026-01/);
    expect(third).toMatch(/months whose data changed \(late-arriving or corrected events\): 2026-01/);
    expect(third).toMatch(/periods whose figures changed: month 2026-01/);
    expect(third).toMatch(/^ {2}month 2026-01: \d+ KPIs \(conversations 300 → 320/m);
  });

  it('records both versions, and the older one is byte-identical', () => {
    const [v1, v2] = versions();
    expect(versions()).toHaveLength(2);
    expect(v1.final_reviews).toEqual(['month/2026-01']);
    expect(v1.finalized).toEqual(['month/2026-01']);
    expect(v2.finalized).toEqual([]);
    expect(v2.manifest_hash).not.toBe(v1.manifest_hash);
    expect(v2.periods.month).toEqual(['2026-01']);
    const now = treeState(tree);
    expect(under(now, `v/${v1.id}/`)).toEqual(under(afterFirst, `v/${v1.id}/`));
    expect(Object.keys(under(now, `v/${v1.id}/`)).length).toBeGreaterThan(50);
  });

  it('renders latest/ for its place: its footer names the newest version and links to the permalink', () => {
    const v2 = versions()[1];
    const page = fs.readFileSync(path.join(tree, 'latest/month/2026-01/index.html'), 'utf8');
    expect(page).toContain(`Latest version <code`);
    expect(page).toContain(`href="../../../v/${v2.id}/month/2026-01/"`);
    const permanent = fs.readFileSync(path.join(tree, `v/${v2.id}/month/2026-01/index.html`), 'utf8');
    expect(permanent).toContain('href="../../../../latest/month/2026-01/"');
    expect(page).not.toBe(permanent);
    expect(fs.readFileSync(path.join(tree, 'latest/month/2026-01/kpis.json'), 'utf8')).toBe(fs.readFileSync(path.join(tree, `v/${v2.id}/month/2026-01/kpis.json`), 'utf8'));
  });

  it('resolves every link and anchor of the whole tree (versions, latest, root) relatively', () => {
    const index = indexSite(tree);
    expect(index.links.get('/latest/')?.length).toBeGreaterThan(10);
    expect(brokenLinks(tree, index)).toEqual([]);
    expect(index.duplicateIds).toEqual([]);
  });
});

describe('a failed build on the real site', () => {
  it('(a review with a bad frontmatter) exits 1 naming the file and leaves the tree byte-identical', async () => {
    const before = treeState(tree);
    const bad = path.join(dir, 'content', 'reviews', 'month', '2026-01.mdx');
    const good = fs.readFileSync(bad, 'utf8');
    fs.writeFileSync(bad, good.replace('status: final', 'status: finished'));
    try {
      const error = (await regenerate().catch((e: unknown) => e)) as { code?: number; stderr?: string };
      expect(error.code).toBe(1);
      expect(error.stderr).toMatch(/2026-01\.mdx.*status/);
    } finally {
      fs.writeFileSync(bad, good);
    }
    expect(treeState(tree)).toEqual(before);
  });
});

describe('the published tree served under /reviews/', () => {
  it('opens latest from the root, goes to a period, to its permalink and back to latest', async (ctx) => {
    if (!browser) return ctx.skip();
    const [v1, v2] = versions();
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.waitForURL(`${server.url}latest/`);
    expect(await page.locator('footer').textContent()).toContain(`Latest version ${v2.id}`);
    await page.getByRole('link', { name: 'Months' }).first().click();
    await page.getByRole('link', { name: '2026-01', exact: true }).first().click();
    expect(page.url()).toBe(`${server.url}latest/month/2026-01/`);
    expect(await page.locator('h1').textContent()).toContain('2026-01');

    await page.getByRole('link', { name: 'Permalink to this version of the page' }).click();
    expect(page.url()).toBe(`${server.url}v/${v2.id}/month/2026-01/`);
    expect(await page.locator('h1').textContent()).toContain('2026-01');
    await page.getByRole('link', { name: 'This page in latest' }).click();
    expect(page.url()).toBe(`${server.url}latest/month/2026-01/`);

    await page.getByRole('link', { name: 'What changed in this version' }).click();
    expect(page.url()).toBe(`${server.url}latest/changes/`);
    expect(await page.locator('#figures-month').textContent()).toContain('month 2026-01');
    await page.getByRole('link', { name: 'All versions' }).click();
    expect(page.url()).toBe(`${server.url}latest/versions/`);
    await page.getByRole('link', { name: v1.id }).click();
    expect(page.url()).toBe(`${server.url}v/${v1.id}/`);
    expect(await page.locator('footer').textContent()).toContain(`Version ${v1.id}`);
    expect(errors).toEqual([]);
    await page.close();
  });

  for (const p of ['latest/versions/', 'latest/changes/', 'latest/month/2026-01/']) {
    it(`has no serious accessibility violations on ${p}`, async (ctx) => {
      if (!browser) return ctx.skip();
      const page = await browser.newPage();
      await page.goto(server.url + p);
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async () => {
        const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run();
        return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.length})`);
      });
      expect(violations).toEqual([]);
      await page.close();
    });
  }

  it('lands on a figure through a deep link into latest with JavaScript off', async (ctx) => {
    if (!browser) return ctx.skip();
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const response = await page.goto(`${server.url}latest/month/2026-01/#resolution_rate`);
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(`${server.url}latest/month/2026-01/#resolution_rate`);
    expect(await page.locator('#resolution_rate').isVisible()).toBe(true);
    await context.close();
  });
});
