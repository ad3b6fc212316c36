import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import { describeStats, type FromOption } from '../data/adapters/index.ts';
import { snapshot, type SnapshotReport } from '../data/snapshot.ts';
import { UserError } from '../errors.ts';
import type { PeriodDocument } from '../kpi/results.ts';
import { describeLatestMonth, describePublish } from './report.ts';
import { publishSite, type PublishSiteResult } from './site.ts';
import { LATEST_DIR, readVersions } from './versions.ts';

export interface RegenerateOptions {
  /** Export files or folders; none takes the config's `inputs` (resolved against the config's folder). */
  inputs: string[];
  snapshots: string;
  content: string;
  /** The published tree, as restored from the previous run (an empty or missing folder the first time). */
  tree: string;
  config: Config;
  builtAt: Date;
  keep?: number;
  force?: boolean;
  from?: FromOption;
  projectDir?: string;
  /** The job's report, one line at a time. */
  report: (line: string) => void;
  /** Progress of the build (what is being rendered), kept apart from the report. */
  log?: (line: string) => void;
}

export interface RegenerateResult {
  snapshot: SnapshotReport;
  publish: PublishSiteResult;
}

const n = (v: number) => v.toLocaleString('en-US');

/** What data arrived: the snapshot run's summary (inputs read or skipped, months written, quarantine). */
export function describeSnapshot(report: SnapshotReport, inputs: string[]): string[] {
  const lines = [`inputs: ${inputs.join(', ')}`];
  for (const file of report.skippedFiles) lines.push(`passed over (not an export format): ${file}`);
  if (report.skippedInputs.length) lines.push(`${report.skippedInputs.length} input${report.skippedInputs.length > 1 ? 's' : ''} already in the snapshots, skipped: ${report.skippedInputs.map((p) => path.basename(p)).join(', ')}`);
  lines.push(report.rewrittenMonths.length ? `months written: ${report.rewrittenMonths.join(', ')}` : 'no new data: no month was written');
  for (const [format, stats] of Object.entries(report.sources)) lines.push(describeStats(format, stats));
  lines.push(`${n(report.read)} events read, ${n(report.kept)} kept, ${n(report.duplicates)} duplicates dropped, ${n(report.quarantined)} quarantined`);
  const { totals, months, earliest_ts, latest_ts } = report.manifest;
  const count = Object.keys(months).length;
  lines.push(`snapshots now hold ${n(totals.events)} events in ${n(totals.conversations)} conversations over ${count} month${count === 1 ? '' : 's'} (${earliest_ts ?? '—'} … ${latest_ts ?? '—'})`);
  return lines;
}

/** The newest published month, read back from latest/ (what readers now see). */
function latestMonth(tree: string): PeriodDocument[] {
  const newest = readVersions(tree).at(-1);
  const month = newest?.periods.month.at(-1);
  if (!month) return [];
  const file = path.join(tree, LATEST_DIR, 'month', month, 'kpis.json');
  return fs.existsSync(file) ? [JSON.parse(fs.readFileSync(file, 'utf8')) as PeriodDocument] : [];
}

/**
 * The scheduled job in one call: snapshot the exports (adding to the snapshots there are), then build and publish
 * a new version if anything changed, and report it all: what data arrived, which periods changed, the version
 * (or that nothing was published) and the latest month's summary figures.
 */
export async function regenerate(options: RegenerateOptions): Promise<RegenerateResult> {
  const { config, report } = options;
  const inputs = options.inputs.length ? options.inputs : config.inputs.map((p) => path.resolve(config.dir, p));
  if (!inputs.length) throw new UserError('no inputs: name the export files or folders, or set "inputs" in kpi-review.config.json', 2);
  report('== data');
  const snap = await snapshot(inputs, { out: options.snapshots, timezone: config.timezone, from: options.from ?? 'auto', adapters: config.adapters });
  for (const line of describeSnapshot(snap, inputs)) report(line);
  report('== site');
  const published = await publishSite({
    snapshots: options.snapshots,
    content: options.content,
    tree: options.tree,
    config,
    builtAt: options.builtAt,
    keep: options.keep,
    force: options.force,
    projectDir: options.projectDir,
    log: options.log,
  });
  for (const line of describePublish(published.result, options.tree)) report(line);
  report('== summary');
  for (const line of describeLatestMonth(latestMonth(options.tree))) report(line);
  return { snapshot: snap, publish: published };
}
