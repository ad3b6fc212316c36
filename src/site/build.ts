import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/schema.ts';
import { requireManifest } from '../data/manifest.ts';
import { UserError } from '../errors.ts';
import { siblingTemp, swapInto } from '../fs/atomic.ts';
import { computeResults, defaultCacheDir } from '../kpi/engine.ts';
import { SITE_DATA_ENV, type SiteData } from './data.ts';
import { summarizeQuarantine } from './quarantine.ts';

export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
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
  await build({ root: PACKAGE_ROOT, outDir, base, logLevel: 'warn', mode: 'production' });
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

/**
 * Builds the complete static review site from the snapshots and the content folder into `out`: results first
 * (or from the cache), then Astro, then the search index; the finished tree replaces `out` by rename.
 */
export async function buildSite(options: SiteBuildOptions): Promise<SiteBuildReport> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const manifest = requireManifest(options.snapshots);
  if (options.config.timezoneFromFile && options.config.timezone !== manifest.timezone)
    throw new UserError(`the config's timezone is ${options.config.timezone} but the snapshots in ${options.snapshots} were built in ${manifest.timezone}; rebuild them with \`kpi-review snapshot --rebuild\` or fix the config`);
  if (!fs.existsSync(options.content)) fs.mkdirSync(options.content, { recursive: true });
  const results = await computeResults(options.snapshots, {
    humanContactCostUsd: options.config.human_contact_cost_usd,
    cacheDir: defaultCacheDir(options.snapshots),
  });
  log(`computed ${results.cadences.month.length} months, ${results.cadences.week.length} weeks, ${results.cadences.quarter.length} quarters`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-site-'));
  const next = siblingTemp(options.out, 'build');
  try {
    const data: SiteData = {
      title: options.config.site.title,
      builtAt: options.builtAt.toISOString(),
      results,
      manifest,
      quarantine: await summarizeQuarantine(options.snapshots),
      goals: options.config.goals,
      headlineGoal: options.config.headline_goal,
      humanContactCostUsd: options.config.human_contact_cost_usd,
    };
    const dataFile = path.join(work, 'site-data.json');
    fs.writeFileSync(dataFile, JSON.stringify(data));
    process.env[SITE_DATA_ENV] = dataFile;
    process.env[CONTENT_ENV] = path.resolve(options.content);
    await runAstro(next, options.base ?? options.config.site.base);
    const pages = countPages(next);
    swapInto(next, options.out);
    const periods = results.cadences.week.length + results.cadences.month.length + results.cadences.quarter.length;
    return { out: options.out, pages, periods, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    fs.rmSync(next, { recursive: true, force: true });
    throw error;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
