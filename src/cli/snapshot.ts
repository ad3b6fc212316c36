import path from 'node:path';
import { loadConfig } from '../config/load.ts';
import { snapshot } from '../data/snapshot.ts';
import { UsageError } from '../errors.ts';
import { CONFIG_OPTION, parseCommand, type CommandSpec } from './args.ts';
import { stderrProgress } from './progress.ts';

export const spec: CommandSpec = {
  name: 'snapshot',
  summary:
    'Validates event exports (NDJSON, CSV, Parquet, each optionally gzip-compressed; files or folders) and merges them into month-partitioned Parquet snapshots. Bad rows go to quarantine.ndjson with a reason.',
  usage: 'snapshot [--out data/snapshots] [--tz ZONE] [--rebuild] [--config FILE] <inputs...>',
  options: {
    out: { type: 'string', value: 'DIR', description: 'snapshot folder (default: data/snapshots)' },
    tz: { type: 'string', value: 'ZONE', description: 'report time zone, IANA name (default: the config\'s timezone, else UTC)' },
    rebuild: { type: 'boolean', description: 'start over from the given inputs instead of adding to the snapshots' },
    config: CONFIG_OPTION,
  },
};

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(spec, argv, true);
  const config = loadConfig(values.config as string | undefined);
  const timezone = (values.tz as string | undefined) ?? config.timezone;
  const { isTimeZone } = await import('../config/schema.ts');
  if (!isTimeZone(timezone)) throw new UsageError(`--tz ${timezone}: not an IANA time zone name (e.g. UTC, Europe/Berlin)`);
  const inputs = positionals.length ? positionals : config.inputs.map((p) => path.resolve(config.dir, p));
  const out = (values.out as string | undefined) ?? 'data/snapshots';
  const report = await snapshot(inputs, { out, timezone, rebuild: Boolean(values.rebuild), progress: stderrProgress() });
  for (const file of report.skippedFiles) console.error(`warning: ${file}: not an export format, passed over`);
  if (report.skippedInputs.length)
    console.log(`${report.skippedInputs.length} input${report.skippedInputs.length > 1 ? 's' : ''} already in the snapshots, skipped: ${report.skippedInputs.join(', ')}`);
  if (report.rewrittenMonths.length) console.log(`months written: ${report.rewrittenMonths.join(', ')}`);
  console.log(
    `${report.read} events read, ${report.kept} kept, ${report.duplicates} duplicates dropped, ${report.quarantined} quarantined (see ${report.quarantineFile})`,
  );
  return 0;
}
