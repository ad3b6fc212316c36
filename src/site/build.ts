import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import { snapshotsFor } from '../data/manifest.ts';
import { siblingTemp, swapInto } from '../fs/atomic.ts';
import { acquireLock } from '../fs/lock.ts';
import { loadContent } from '../content/load.ts';
import { computeResults, defaultCacheDir } from '../kpi/engine.ts';
import { plainPublication } from '../publish/publication.ts';
import { PACKAGE_ROOT } from '../version.ts';
import { SITE_DATA_ENV, type SiteData } from './data.ts';
import { summarizeQuarantine } from './quarantine.ts';

export const CONTENT_ENV = 'KPI_REVIEW_CONTENT';

export interface SiteBuildOptions {
  snapshots: string;
  content: string;
  out: string;
  config: Config;
  /** The build time, passed in (nothing inside reads the clock). */
  builtAt: Date;
  /** Path the site is served under (default: the config's site.base). */
  base?: string;
  log?: (line: string) => void;
}

export interface SiteBuildReport {
  out: string;
  pages: number;
  periods: number;
  seconds: number;
}

/** Runs Astro's build through its JavaScript API, then indexes the pages for search, into a temp folder. */
async function runAstro(outDir: string, base: string): Promise<void> {
  const { build } = await import('astro');
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  // With outDir outside the current folder, Astro puts its prerender chunks in <cwd>/.astro/.prerender and deletes
  // that folder when done: two builds at once (tests in parallel, a CLI beside another) delete each other's
  // chunks. Building from a fresh folder inside the project keeps them private (and still resolves packages).
  const dotAstro = path.join(PACKAGE_ROOT, '.astro');
  fs.mkdirSync(dotAstro, { recursive: true });
  // Astro also keeps the content collections' generated modules in <root>/.astro: builds of other content at
  // the same time would read each other's. One Astro build at a time per installation, then (others wait).
  const release = await acquireLock(path.join(dotAstro, 'build.lock'), (holder) => {
    if ('self' in holder) throw new Error('an Astro build is already running in this process');
    return 250;
  });
  const scratch = fs.mkdtempSync(path.join(dotAstro, 'build-'));
  const cwd = process.cwd();
  process.chdir(scratch);
  try {
    // Astro's content data store lives in its cache folder and outlives a build: a later build of content in
    // another folder reused entries of files that no longer exist and failed to resolve them. Each build here
    // is a fresh, whole publish, so its cache is the scratch folder's.
    await build({ root: PACKAGE_ROOT, outDir, base, cacheDir: path.join(scratch, 'cache'), logLevel: 'warn', mode: 'production' });
  } finally {
    process.chdir(cwd);
    fs.rmSync(scratch, { recursive: true, force: true });
    release();
  }
  const pagefind = await import('pagefind');
  const { index } = await pagefind.createIndex({});
  if (!index) throw new Error('pagefind could not start');
  await index.addDirectory({ path: outDir });
  await index.writeFiles({ outputPath: path.join(outDir, 'pagefind') });
  await pagefind.close();
}

function countPages(dir: string): number {
  let n = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) if (entry.isFile() && entry.name.endsWith('.html')) n++;
  return n;
}

export type SiteDataOptions = Pick<SiteBuildOptions, 'snapshots' | 'content' | 'config' | 'builtAt' | 'log'>;

/**
 * Everything the pages read: the results (computed, or from the cache), the checked content, the manifest
 * and the quarantine summary. A bad review or annotation fails here, before anything is written.
 */
export async function prepareSiteData(options: SiteDataOptions): Promise<SiteData> {
  const log = options.log ?? (() => {});
  const manifest = snapshotsFor(options.snapshots, options.config);
  const results = await computeResults(options.snapshots, {
    humanContactCostUsd: options.config.human_contact_cost_usd,
    cacheDir: defaultCacheDir(options.snapshots),
  });
  const content = loadContent(options.content, results);
  log(`computed ${results.cadences.month.length} months, ${results.cadences.week.length} weeks, ${results.cadences.quarter.length} quarters`);
  return {
    title: options.config.site.title,
    builtAt: options.builtAt.toISOString(),
    results,
    manifest,
    quarantine: await summarizeQuarantine(options.snapshots),
    goals: options.config.goals,
    headlineGoal: options.config.headline_goal,
    humanContactCostUsd: options.config.human_contact_cost_usd,
    drafts: options.config.site.drafts,
    reviews: content.reviews
      .filter((r) => options.config.site.drafts === 'show' || r.data.status === 'final')
      .map(({ cadence, period, data }) => ({ cadence, period, data })),
    annotations: content.annotations.map(({ file: _file, ...a }) => a),
    publication: plainPublication(options.builtAt.toISOString()),
  };
}

/** Writes the site data where the pages find it (KPI_REVIEW_SITE_DATA) and points Astro at the content folder. */
export function useSiteData(data: SiteData, dataFile: string, content: string): void {
  fs.writeFileSync(dataFile, JSON.stringify(data));
  process.env[SITE_DATA_ENV] = dataFile;
  process.env[CONTENT_ENV] = path.resolve(content);
}

/**
 * Renders prepared site data into the empty folder `out` (Astro, then the search index) and counts its pages.
 * The published tree renders the same data twice, for `v/<id>/` and for `latest/` (src/publish/site.ts).
 */
export async function renderSite(data: SiteData, options: { content: string; out: string; base: string }): Promise<number> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-site-'));
  try {
    useSiteData(data, path.join(work, 'site-data.json'), options.content);
    await runAstro(options.out, options.base);
    return countPages(options.out);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Builds the complete static review site from the snapshots and the content folder into `out`: results first
 * (or from the cache), then Astro, then the search index; the finished tree replaces `out` by rename.
 */
export async function buildSite(options: SiteBuildOptions): Promise<SiteBuildReport> {
  const started = performance.now();
  const data = await prepareSiteData(options);
  const next = siblingTemp(options.out, 'build');
  try {
    const pages = await renderSite(data, { content: options.content, out: next, base: options.base ?? options.config.site.base });
    swapInto(next, options.out);
    const { week, month, quarter } = data.results.cadences;
    return { out: options.out, pages, periods: week.length + month.length + quarter.length, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    fs.rmSync(next, { recursive: true, force: true });
    throw error;
  }
}
