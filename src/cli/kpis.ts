import { loadConfig } from '../config/load.ts';
import { snapshotsFor } from '../data/manifest.ts';
import { UsageError, UserError } from '../errors.ts';
import { computeResults, defaultCacheDir } from '../kpi/engine.ts';
import { toKpisCsv, toKpisJson } from '../kpi/export.ts';
import { isPeriodLabel } from '../kpi/periods.ts';
import { CADENCE_OPTION, cadenceOf, CONFIG_OPTION, parseCommand, SNAPSHOTS_OPTION, type CommandSpec } from './args.ts';

export const spec: CommandSpec = {
  name: 'kpis',
  summary: 'Prints one period\'s KPIs (kpis.json or kpis.csv) computed from the snapshots; only the document goes to standard output.',
  usage: 'kpis --period LABEL [--cadence month] [--format json|csv] [--snapshots data/snapshots] [--config FILE]',
  options: {
    snapshots: SNAPSHOTS_OPTION,
    period: { type: 'string', value: 'LABEL', description: 'period label: 2026-05 (month), 2026-W19 (week), 2026-Q2 (quarter)' },
    cadence: CADENCE_OPTION,
    format: { type: 'string', value: 'F', description: 'json or csv (default: json)' },
    config: CONFIG_OPTION,
  },
};

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv, false);
  const cadence = cadenceOf(values.cadence);
  const format = (values.format as string | undefined) ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new UsageError(`--format ${format}: expected json or csv`);
  const label = values.period as string | undefined;
  if (!label) throw new UsageError('--period is required (e.g. --period 2026-05); see `kpi-review kpis --help`');
  if (!isPeriodLabel(label, cadence))
    throw new UserError(`--period ${label}: not a ${cadence} label (expected ${cadence === 'week' ? '2026-W19' : cadence === 'quarter' ? '2026-Q2' : '2026-05'})`);
  const config = loadConfig(values.config as string | undefined);
  const snapshots = (values.snapshots as string | undefined) ?? 'data/snapshots';
  snapshotsFor(snapshots, config);
  const results = await computeResults(snapshots, {
    humanContactCostUsd: config.human_contact_cost_usd,
    cadences: [cadence],
    cacheDir: defaultCacheDir(snapshots),
  });
  const periods = results.cadences[cadence];
  const doc = periods.find((p) => p.period === label);
  if (!doc) {
    const range = periods.length ? `${periods[0].period} … ${periods[periods.length - 1].period}` : 'none (no data)';
    throw new UserError(`--period ${label}: outside the data's ${cadence}s (${range}); pick a period in that range`);
  }
  process.stdout.write(format === 'json' ? toKpisJson(doc) : toKpisCsv(doc));
  return 0;
}
