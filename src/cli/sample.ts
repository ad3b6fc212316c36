import { UsageError } from '../errors.ts';
import { SAMPLE_CONVERSATIONS, SAMPLE_MONTHS, SAMPLE_SEED, SAMPLE_START, writeSample } from '../sample/generate.ts';
import { parseCommand, type CommandSpec } from './args.ts';

export const spec: CommandSpec = {
  name: 'sample',
  summary:
    'Writes the bundled sample export: a year of canonical events of a support-and-sales chatbot (one NDJSON file per month), with a model change, a latency regression, a routing change and a prompt cost increase to find, and a few bad rows for the quarantine. The same options always give the same files.',
  usage: 'sample [--out data/exports] [--start YYYY-MM] [--months 12] [--conversations 50000] [--seed N]',
  options: {
    out: { type: 'string', value: 'DIR', description: 'folder for the export files (default: data/exports)' },
    start: { type: 'string', value: 'YYYY-MM', description: `first month (default: ${SAMPLE_START})` },
    months: { type: 'string', value: 'N', description: `number of months (default: ${SAMPLE_MONTHS})` },
    conversations: { type: 'string', value: 'N', description: `number of conversations in all (default: ${SAMPLE_CONVERSATIONS})` },
    seed: { type: 'string', value: 'N', description: `random seed (default: ${SAMPLE_SEED})` },
  },
};

function wholeNumber(name: string, value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) throw new UsageError(`--${name} ${String(value)}: expected a whole number`);
  return Number(value);
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv, false);
  const out = (values.out as string | undefined) ?? 'data/exports';
  const start = values.start as string | undefined;
  if (start !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(start)) throw new UsageError(`--start ${start}: expected a month as YYYY-MM`);
  const months = wholeNumber('months', values.months);
  if (months !== undefined && (months < 1 || months > 120)) throw new UsageError(`--months ${months}: expected 1 to 120`);
  const conversations = wholeNumber('conversations', values.conversations);
  if (conversations !== undefined && (conversations < 1 || conversations > 10_000_000))
    throw new UsageError(`--conversations ${conversations}: expected 1 to 10000000`);
  const seed = wholeNumber('seed', values.seed);
  if (seed !== undefined && seed > 0xffffffff) throw new UsageError(`--seed ${seed}: expected 0 to 4294967295`);
  const result = await writeSample(out, { start, months, conversations, seed });
  console.log(
    `wrote ${result.events} events in ${result.conversations} conversations to ${out} (${result.files.length} file${result.files.length === 1 ? '' : 's'})`,
  );
  return 0;
}
