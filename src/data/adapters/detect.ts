import { UserError } from '../../errors.ts';
import { splitCsvRecord } from '../readers/csv.ts';
import { isSourceFormat, readHead, type SourceFormat } from './common.ts';
import { looksLikeCopilotStudio } from './copilotStudio.ts';
import { parseJson } from './json.ts';
import { looksLikeOtel } from './otel.ts';
import { looksLikeRasa } from './rasa.ts';

/** `--from`: a platform format, the canonical formats (by extension), or `auto` (by content). */
export type FromOption = SourceFormat | 'canonical' | 'auto';
export const FROM_OPTIONS = ['auto', 'otel', 'rasa', 'copilot-studio', 'canonical'] as const;

export const isFromOption = (value: string): value is FromOption => (FROM_OPTIONS as readonly string[]).includes(value);

const DETECTORS: [SourceFormat, (o: Record<string, unknown>) => boolean][] = [
  ['otel', looksLikeOtel],
  ['rasa', looksLikeRasa],
  ['copilot-studio', looksLikeCopilotStudio],
];

/** For a pretty-printed document whose first line is not a whole value: what its opening text shows. */
const PROBES: [SourceFormat, (head: string) => boolean][] = [
  ['otel', (h) => /"resource(?:Spans|Logs)"\s*:/.test(h) || (/"trace_id"\s*:/.test(h) && /"span_id"\s*:/.test(h) && /"start_time"\s*:/.test(h))],
  ['rasa', (h) => /"sender_id"\s*:/.test(h) && /"(?:events|event|type_name)"\s*:/.test(h)],
  [
    'copilot-studio',
    (h) =>
      /"conversationtranscriptid"\s*:/.test(h) ||
      /"@odata\.context"\s*:\s*"[^"]*conversationtranscript/i.test(h) ||
      /"content"\s*:\s*"\{\\"activities\\"/.test(h) ||
      (/"activities"\s*:\s*\[/.test(h) && /"valueType"\s*:|"from"\s*:\s*\{/.test(h)),
  ],
];

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The platform formats whose shape a file's opening matches (none for canonical exports). */
export function detectFormats(file: string): SourceFormat[] {
  const head = readHead(file);
  const firstLine = head.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  if (firstLine.startsWith('{') || firstLine.startsWith('[')) {
    let first: unknown;
    try {
      first = parseJson(firstLine);
    } catch {
      first = undefined;
    }
    if (Array.isArray(first)) first = first.find(isRecord);
    if (isRecord(first)) return DETECTORS.filter(([, test]) => test(first)).map(([f]) => f);
    return PROBES.filter(([, test]) => test(head)).map(([f]) => f);
  }
  // CSV: the Power Apps export of the transcript table, or the SQL tracker store's events table.
  const columns = splitCsvRecord(firstLine).cells.map((c) => c.trim().toLowerCase().replace(/\s+/g, ''));
  const has = (c: string) => columns.includes(c);
  const out: SourceFormat[] = [];
  if (has('sender_id') && (has('type_name') || has('data'))) out.push('rasa');
  if (has('content') && (has('conversationtranscriptid') || has('conversationstarttime'))) out.push('copilot-studio');
  return out;
}

const FORMAT_NAMES: Record<SourceFormat, string> = {
  otel: 'OpenTelemetry (otel)',
  rasa: 'Rasa tracker (rasa)',
  'copilot-studio': 'Copilot Studio transcript (copilot-studio)',
};

/** File names a folder's files must have to be read as a platform export. */
const ADAPTER_FILE = /\.(?:json|jsonl|ndjson|csv)(?:\.gz)?$/i;

/**
 * The format to read `file` in, for `--from`. `canonical` is what the file's extension says (undefined: none).
 * Returns undefined for a folder's file that is no export (passed over); throws a one-line UserError for a file
 * named on the command line that matches no format, or for any file that matches several.
 */
export function chooseFormat<C extends string>(file: string, from: FromOption, canonical: C | undefined, inFolder: boolean): C | SourceFormat | undefined {
  if (from === 'canonical') return canonical;
  if (isSourceFormat(from)) return !inFolder || ADAPTER_FILE.test(file) ? from : undefined;
  if (/\.parquet(?:\.gz)?$/i.test(file)) return canonical;
  if (inFolder && !canonical && !ADAPTER_FILE.test(file)) return undefined;
  let matches: SourceFormat[];
  try {
    matches = detectFormats(file);
  } catch (error) {
    throw new UserError(`${file}: cannot be read (${(error as Error).message.split('\n')[0]}); check the file's permissions`);
  }
  if (matches.length > 1)
    throw new UserError(`${file}: looks like ${matches.map((f) => FORMAT_NAMES[f]).join(' and ')}; name its format with --from ${matches.join('|')}`);
  if (matches.length === 1) return matches[0];
  if (canonical || inFolder) return canonical;
  throw new UserError(
    `${file}: unknown file type (not OpenTelemetry OTLP JSON, Rasa trackers, Copilot Studio transcripts, nor canonical .ndjson, .jsonl, .csv, .parquet); name its format with --from otel|rasa|copilot-studio|canonical`,
  );
}
