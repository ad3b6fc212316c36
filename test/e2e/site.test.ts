import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { serveStatic } from '../../src/serve/static.ts';
import { launchBrowser } from './browser.ts';
import { buildSite } from '../../src/site/build.ts';
import { buildFixtureSite, FIXTURE_CONTENT, writeContent, HOSTILE_CHANNEL, HOSTILE_INTENT, SECRET_TEXT, SECRET_USER, type FixtureSite } from './fixture.ts';
import { brokenLinks, indexSite } from './links.ts';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let fixture: FixtureSite;
let browser: Browser | null;
let server: Awaited<ReturnType<typeof serveStatic>>;

beforeAll(async () => {
  fixture = await buildFixtureSite();
  server = await serveStatic(fixture.site);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (fixture && !process.env.KEEP_FIXTURE) fs.rmSync(fixture.dir, { recursive: true, force: true });
});

/** Every file of a tree with its sha256, to prove a failed build changed nothing. */
function treeHash(root: string): Record<string, string> {
  return Object.fromEntries(allFiles(root, '').map((f) => [path.relative(root, f), crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex')]));
}

function allFiles(root: string, ext: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => path.join(e.parentPath, e.name));
}

async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser!.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + path.replace(/^\//, ''));
  return { page, errors };
}

describe('the built site (files)', () => {
  it('has every page of every cadence, segment pages, glossary, data page and exports', () => {
    for (const p of ['index.html', 'month/index.html', 'month/2026-01/index.html', 'week/2026-W05/index.html', 'quarter/2026-Q1/index.html', 'month/2026-02/segments/intent/index.html', 'glossary/index.html', 'data/index.html', 'month/2026-02/kpis.json', 'month/2026-02/kpis.csv'])
      expect(fs.existsSync(path.join(fixture.site, p)), p).toBe(true);
  });

  it('resolves every internal link and anchor, with unique ids on every page', () => {
    const index = indexSite(fixture.site);
    expect(index.ids.size).toBeGreaterThan(100);
    expect(brokenLinks(fixture.site, index)).toEqual([]);
    expect(index.duplicateIds).toEqual([]);
  });

  it('gives every KPI a home anchor on the period page', () => {
    const html = fs.readFileSync(path.join(fixture.site, 'month/2026-02/index.html'), 'utf8');
    for (const id of ['resolution_rate', 'fallback_rate', 'latency_p95_ms', 'availability', 'deflection_value_usd']) expect(html).toContain(`id="${id}"`);
  });

  it('publishes no message text or raw user id, and escapes hostile values from the data', () => {
    for (const file of [...allFiles(fixture.site, '.html'), ...allFiles(fixture.site, '.json'), ...allFiles(fixture.site, '.csv')]) {
      const text = fs.readFileSync(file, 'utf8');
      expect(text.includes(SECRET_TEXT), file).toBe(false);
      expect(text.includes(SECRET_USER), file).toBe(false);
      if (file.endsWith('.html')) {
        expect(text.includes(HOSTILE_CHANNEL), file).toBe(false);
        expect(text.includes(HOSTILE_INTENT), file).toBe(false);
        expect(text.includes('<b>goal</b>'), file).toBe(false);
      }
    }
    const segment = fs.readFileSync(path.join(fixture.site, 'month/2026-01/segments/channel/index.html'), 'utf8');
    expect(segment).toContain('&lt;script&gt;alert');
  });

  it('keeps pages small and needs no JavaScript for the content', () => {
    for (const file of allFiles(fixture.site, '.html')) {
      expect(fs.statSync(file).size, file).toBeLessThan(1_500_000);
      const scripts = fs.readFileSync(file, 'utf8').match(/<script[^>]*src="([^"]+)"/g) ?? [];
      for (const s of scripts) expect(s).toContain('pagefind');
    }
  });

  it('never runs words together where a template line ends ("checks,15", "…Z:537")', () => {
    const runTogether: string[] = [];
    for (const file of allFiles(fixture.site, '.html')) {
      const { document } = parseHTML(fs.readFileSync(file, 'utf8'));
      for (const el of document.querySelectorAll('main svg, main code, main script, main style')) el.remove();
      for (const el of document.querySelectorAll('main p, main li, main td, main th, main dd, main dt, main h1, main h2, main h3, main figcaption')) {
        const match = /[A-Za-z)%][,:;][A-Za-z0-9(]/.exec(el.textContent ?? '');
        if (match) runTogether.push(`${path.relative(fixture.site, file)}: …${el.textContent!.slice(Math.max(0, match.index - 20), match.index + 20)}…`);
      }
    }
    expect(runTogether).toEqual([]);
  });

  it('writes the kpis.json export with flags and notes beside each period page', () => {
    const doc = JSON.parse(fs.readFileSync(path.join(fixture.site, 'month/2026-02/kpis.json'), 'utf8'));
    expect(doc.period).toBe('2026-02');
    expect(Object.keys(doc.kpis)).toHaveLength(32);
    expect(Array.isArray(doc.flags)).toBe(true);
    expect(Array.isArray(doc.notes)).toBe(true);
  });
});

describe('reviews, annotations and the action loop', () => {
  const page = (p: string) => fs.readFileSync(path.join(fixture.site, p, 'index.html'), 'utf8');

  it('renders the review with every component, from the same figures as the page', () => {
    const html = page('month/2026-01');
    expect(html).toContain('January fixture review');
    expect(html).toMatch(/<a class="kpi-mention" href="#resolution_rate">Resolution rate [0-9.]+%<\/a>/);
    const kpi = /<a class="kpi-mention" href="#resolution_rate">Resolution rate ([0-9.]+%)/.exec(html)![1];
    expect(html).toMatch(new RegExp(`<tr id="resolution_rate">[\\s\\S]*?<td class="num">${kpi.replace('.', '\\.')}</td>`));
    expect(html).toContain('id="review-chart-1"');
    expect(html).toContain('id="review-chart-2"');
    expect(html).toContain('<caption>Fallback rate by intent</caption>');
    expect(html).toMatch(/<div class="review-body">[\s\S]*Fixture model switch[\s\S]*<\/section>/);
    expect(html).not.toContain('class="banner draft"');
  });

  it('marks a draft review with a banner', () => {
    expect(page('month/2026-02')).toContain('class="banner draft"');
  });

  it('follows up the previous review\'s actions with a verdict and the numbers', () => {
    const html = page('month/2026-02');
    expect(html).toContain('id="follow-up"');
    expect(html).toMatch(/Recalibrate the confidence bar<\/strong> \(Sam\)[\s\S]*?<span class="badge">(met|not met|too early)<\/span>/);
    expect(page('month/2026-03')).not.toContain('id="follow-up"'); // the February review has no actions
  });

  it('lists changes shipped in their period and draws annotations on the charts', () => {
    expect(page('month/2026-01')).toMatch(/id="changes-shipped"[\s\S]*Fixture model switch/);
    expect(page('month/2026-02')).toMatch(/Fixture routing change<\/strong> \(intent: billing\): Handoffs later\./);
    expect(page('month/2026-03')).toMatch(/<svg[^>]*id="chart-trend-resolution_rate-svg"[\s\S]*?Fixture model switch[\s\S]*?<\/svg>/);
  });

  it("puts the quarter's cost and value in words under the chart that draws them on one axis", () => {
    const figure = /<figure class="chart" id="chart-cost-vs-value">[\s\S]*?<\/figure>/.exec(page('quarter/2026-Q1'))![0];
    expect(figure).toMatch(/<figcaption>2026-Q1: total cost \$[\d,.]+, human deflection value \$[\d,.]+, [\d,]+ times the cost\.<\/figcaption>/);
  });

  it('draws a segment-scoped annotation on charts by its dimension, not on charts by another', () => {
    const trend = (dimension: string) => new RegExp(`<svg[^>]*id="chart-${dimension}-resolution-trend-svg"[\\s\\S]*?</svg>`).exec(page(`month/2026-03/segments/${dimension}`))![0];
    expect(trend('intent')).toContain('Fixture routing change (intent: billing)');
    expect(trend('channel')).not.toContain('Fixture routing change');
    expect(trend('channel')).toContain('Fixture model switch');
  });

  it('fails the build on a bad review, naming the file and the key, and leaves the site untouched', async () => {
    const before = treeHash(fixture.site);
    const content = path.join(fixture.dir, 'bad-content');
    writeContent(content, { ...FIXTURE_CONTENT, 'reviews/month/2026-01.mdx': FIXTURE_CONTENT['reviews/month/2026-01.mdx'].replace('primary_kpi: fallback_rate', 'primary_kpi: fallbak_rate') });
    await expect(buildSite({ snapshots: fixture.snapshots, content, out: fixture.site, config: fixture.config, builtAt: new Date() })).rejects.toThrow(
      /reviews\/month\/2026-01\.mdx: key "primary_kpi": unknown KPI id "fallbak_rate"/,
    );
    expect(treeHash(fixture.site)).toEqual(before);
  });

  it('leaves drafts out when site.drafts is hide', async () => {
    const out = path.join(fixture.dir, 'no-drafts');
    const config = { ...fixture.config, site: { ...fixture.config.site, drafts: 'hide' as const } };
    await buildSite({ snapshots: fixture.snapshots, content: fixture.content, out, config, builtAt: new Date('2026-04-02T06:00:00Z') });
    const feb = fs.readFileSync(path.join(out, 'month/2026-02/index.html'), 'utf8');
    expect(feb).not.toContain('February fixture draft');
    expect(fs.readFileSync(path.join(out, 'month/2026-01/index.html'), 'utf8')).toContain('January fixture review');
  }, 120_000);
});

describe('the built site in a browser', () => {
  it('follows the navigation across cadences', async (ctx) => {
    if (!browser) return ctx.skip();
    const { page, errors } = await open('/');
    await page.getByRole('link', { name: 'Months' }).first().click();
    await page.getByRole('link', { name: '2026-02', exact: true }).first().click();
    expect(await page.locator('h1').textContent()).toContain('2026-02');
    await page.getByRole('link', { name: /^week 2026-W05$/ }).click();
    expect(await page.locator('h1').textContent()).toContain('2026-W05');
    await page.getByRole('link', { name: /^quarter 2026-Q1$/ }).click();
    expect(await page.locator('h1').textContent()).toContain('2026-Q1');
    await page.getByRole('link', { name: /→$/ }).first().isVisible();
    await page.goto(server.url + 'month/2026-02/#resolution_rate');
    expect(await page.locator('#resolution_rate').isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('labels every chart', async (ctx) => {
    if (!browser) return ctx.skip();
    const { page } = await open('/month/2026-02/');
    const charts = page.locator('figure.chart svg');
    expect(await charts.count()).toBeGreaterThan(10);
    for (const svg of await charts.all()) {
      expect(await svg.getAttribute('role')).toBe('img');
      expect((await svg.getAttribute('aria-label'))?.length).toBeGreaterThan(5);
    }
    await page.close();
  });

  for (const p of ['/', '/month/2026-01/', '/month/2026-02/', '/week/2026-W06/', '/quarter/2026-Q1/', '/month/2026-02/segments/intent/', '/glossary/', '/data/']) {
    it(`has no serious accessibility violations and no console errors on ${p}`, async (ctx) => {
      if (!browser) return ctx.skip();
      const { page, errors } = await open(p);
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async () => {
        const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run();
        return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.length})`);
      });
      expect(violations).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});
