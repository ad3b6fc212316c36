import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.ts';
import { CADENCES, type Cadence } from '../kpi/periods.ts';

export interface OptionSpec {
  type: 'string' | 'boolean';
  description: string;
  short?: string;
  value?: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
}

export const CONFIG_OPTION: OptionSpec = { type: 'string', value: 'FILE', description: 'config file (default: ./kpi-review.config.json)' };
export const SNAPSHOTS_OPTION: OptionSpec = { type: 'string', value: 'DIR', description: 'snapshot folder (default: data/snapshots)' };
export const CONTENT_OPTION: OptionSpec = { type: 'string', value: 'DIR', description: 'reviews and annotations (default: content)' };
export const CADENCE_OPTION: OptionSpec = { type: 'string', value: 'C', description: 'week, month or quarter (default: month)' };

/** The `--cadence` flag's value (default month), or a UsageError. */
export function cadenceOf(value: string | boolean | undefined): Cadence {
  const cadence = (value as string | undefined) ?? 'month';
  if (!(CADENCES as readonly string[]).includes(cadence)) throw new UsageError(`--cadence ${cadence}: expected week, month or quarter`);
  return cadence as Cadence;
}

/** Help text generated from the command's option descriptions. */
export function helpText(spec: CommandSpec): string {
  const lines = [`Usage: kpi-review ${spec.usage}`, '', spec.summary, '', 'Options:'];
  const entries = Object.entries({ ...spec.options, help: { type: 'boolean', description: 'show this help' } as OptionSpec });
  const width = Math.max(...entries.map(([name, o]) => name.length + (o.value ? o.value.length + 1 : 0))) + 4;
  for (const [name, o] of entries) lines.push(`  --${`${name}${o.value ? ` ${o.value}` : ''}`.padEnd(width)}${o.description}`);
  return lines.join('\n');
}

export interface Parsed {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  help: boolean;
}

export function parseCommand(spec: CommandSpec, argv: string[], allowPositionals: boolean): Parsed {
  const options: ParseArgsConfig['options'] = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(spec.options)) options[name] = { type: o.type, ...(o.short ? { short: o.short } : {}) };
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals, strict: true });
    return { values: values as Parsed['values'], positionals, help: Boolean(values.help) };
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]}; see \`kpi-review ${spec.name} --help\``);
  }
}
