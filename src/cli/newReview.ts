import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load.ts';
import { loadContent } from '../content/load.ts';
import { snapshotsFor } from '../data/manifest.ts';
import { scaffoldReview } from '../content/scaffold.ts';
import { UsageError, UserError } from '../errors.ts';
import { computeResults, defaultCacheDir } from '../kpi/engine.ts';
import { CADENCE_OPTION, cadenceOf, CONFIG_OPTION, CONTENT_OPTION, parseCommand, SNAPSHOTS_OPTION, type CommandSpec } from './args.ts';

export const spec: CommandSpec = {
  name: 'new-review',
  summary: 'Scaffolds content/reviews/<cadence>/<period>.mdx, prefilled with the period\'s headline figures, flags, interpretation notes and the previous review\'s actions.',
  usage: 'new-review --period LABEL [--cadence month] [--snapshots data/snapshots] [--content content] [--force] [--config FILE]',
  options: {
    period: { type: 'string', value: 'LABEL', description: 'the period to review: 2026-06, 2026-W23, 2026-Q2' },
    cadence: CADENCE_OPTION,
    snapshots: SNAPSHOTS_OPTION,
    content: CONTENT_OPTION,
    force: { type: 'boolean', description: 'overwrite an existing review' },
    config: CONFIG_OPTION,
  },
};

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv, false);
  const cadence = cadenceOf(values.cadence);
  const period = values.period as string | undefined;
  if (!period) throw new UsageError('--period is required (e.g. --period 2026-06); see `kpi-review new-review --help`');
  const config = loadConfig(values.config as string | undefined);
  const snapshots = (values.snapshots as string | undefined) ?? 'data/snapshots';
  const contentDir = (values.content as string | undefined) ?? 'content';
  snapshotsFor(snapshots, config);
  const results = await computeResults(snapshots, { humanContactCostUsd: config.human_contact_cost_usd, cadences: [cadence], cacheDir: defaultCacheDir(snapshots) });
  const periods = results.cadences[cadence];
  const index = periods.findIndex((p) => p.period === period);
  if (index < 0) throw new UserError(`--period ${period}: no such ${cadence} in the data (${periods[0]?.period ?? '—'} … ${periods.at(-1)?.period ?? '—'})`);
  const file = path.join(contentDir, 'reviews', cadence, `${period}.mdx`);
  if (fs.existsSync(file) && !values.force) throw new UserError(`${file}: a review already exists; edit it, or pass --force to start it over`);
  const content = loadContent(contentDir, results);
  const previous = index > 0 ? content.reviews.find((r) => r.cadence === cadence && r.period === periods[index - 1].period)?.data : undefined;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, scaffoldReview(periods, index, previous));
  console.log(`wrote ${file}; preview it with \`npm run dev\` while you write`);
  return 0;
}
