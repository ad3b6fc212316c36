import path from 'node:path';
import { loadConfig } from '../config/load.ts';
import { describeStats, FROM_OPTIONS, isFromOption } from '../data/adapters/index.ts';
import { snapshot } from '../data/snapshot.ts';
import { UsageError } from '../errors.ts';
import { CONFIG_OPTION, parseCommand, type CommandSpec } from './args.ts';
import { stderrProgress } from './progress.ts';

export const spec: CommandSpec = {
  name: 'snapshot',
  summary:
    'Validates event exports (NDJSON, CSV, Parquet, or a platform\'s: OpenTelemetry GenAI traces, Rasa trackers, Copilot Studio transcripts; each optionally gzip-compressed; files or folders) and merges them into month-partitioned Parquet snapshots. Bad rows go to quarantine.ndjson with a reason.',
  usage: 'snapshot [--out data/snapshots] [--tz ZONE] [--rebuild] [--from auto|otel|rasa|copilot-studio|canonical] [--config FILE] <inputs...>',
  options: {
    out: { type: 'string', value: 'DIR', description: 'snapshot folder (default: data/snapshots)' },
    tz: { type: 'string', value: 'ZONE', description: 'report time zone, IANA name (default: the config\'s timezone, else UTC)' },
    rebuild: { type: 'boolean', description: 'start over from the given inputs instead of adding to the snapshots' },
    from: { type: 'string', value: 'F', description: 'the inputs\' format: otel, rasa, copilot-studio, canonical (by extension) or auto (default: each input by its content)' },
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
  const from = (values.from as string | undefined) ?? 'auto';
  if (!isFromOption(from)) throw new UsageError(`--from ${from}: expected ${FROM_OPTIONS.join(', ')}`);
  const progress = stderrProgress();
  const report = await snapshot(inputs, { out, timezone, rebuild: Boolean(values.rebuild), progress, from, adapters: config.adapters }).finally(() => progress.finish());
  for (const file of report.skippedFiles) console.error(`warning: ${file}: not an export format, passed over`);
  if (report.skippedInputs.length)
    console.log(`${report.skippedInputs.length} input${report.skippedInputs.length > 1 ? 's' : ''} already in the snapshots, skipped: ${report.skippedInputs.join(', ')}`);
  if (report.rewrittenMonths.length) console.log(`months written: ${report.rewrittenMonths.join(', ')}`);
  for (const [format, stats] of Object.entries(report.sources)) console.log(describeStats(format, stats));
  console.log(
    `${report.read} events read, ${report.kept} kept, ${report.duplicates} duplicates dropped, ${report.quarantined} quarantined (see ${report.quarantineFile})`,
  );
  return 0;
}
