import fs from 'node:fs';
import zlib from 'node:zlib';
import { csvRecords } from '../readers/csv.ts';
import { openInput, withoutMissing, type RecordReader, type SourceRecord } from '../readers/source.ts';
import { FIELD_NAMES } from '../schema.ts';
import { jsonUnits, type JsonItem } from './json.ts';

/** The platform export formats read through an adapter (the canonical ones are ndjson, csv and parquet). */
export const SOURCE_FORMATS = ['otel', 'rasa', 'copilot-studio'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];
export const isSourceFormat = (value: string): value is SourceFormat => (SOURCE_FORMATS as readonly string[]).includes(value);

/** A canonical event as an adapter builds it: canonical field names, missing values left out or undefined. */
export type CanonicalCandidate = Record<string, string | number | boolean | undefined>;

/**
 * What became of one source record (a span, a Rasa event, a transcript activity): mapped to canonical events
 * (possibly none, when it only changes another event, such as a Rasa `rewind`), skipped for a reason that is
 * not a fault (an `embeddings` span, an `action_listen`), or unmappable (quarantined with the reason).
 */
export type Outcome = { events: CanonicalCandidate[] } | { skip: string } | { error: string };

/** Per input: what was read from the source and what became of it; the numbers add up (read = mapped + skipped + quarantined). */
export interface SourceStats {
  /** Records read, per unit (`span`, `log record`, `event`, `activity`, `unreadable record`). */
  units: Record<string, number>;
  read: number;
  /** Records that mapped (to `events` canonical events in all). */
  mapped: number;
  events: number;
  skipped: number;
  /** Skipped records per reason. */
  skip_reasons: Record<string, number>;
  /** Records that should map but cannot: in quarantine.ndjson with the reason. */
  quarantined: number;
}

export function emptyStats(): SourceStats {
  return { units: {}, read: 0, mapped: 0, events: 0, skipped: 0, skip_reasons: {}, quarantined: 0 };
}

/** Adds `b` into `a` (for the per-format summary of several inputs). */
export function addStats(a: SourceStats, b: SourceStats): SourceStats {
  for (const [u, n] of Object.entries(b.units)) a.units[u] = (a.units[u] ?? 0) + n;
  for (const [r, n] of Object.entries(b.skip_reasons)) a.skip_reasons[r] = (a.skip_reasons[r] ?? 0) + n;
  a.read += b.read;
  a.mapped += b.mapped;
  a.events += b.events;
  a.skipped += b.skipped;
  a.quarantined += b.quarantined;
  return a;
}

const plural = (unit: string, n: number) => (n === 1 ? unit : unit === 'activity' ? 'activities' : `${unit}s`);

/** `otel: 6 spans read: 6 mapped to 7 events, 0 skipped, 0 quarantined` (skip reasons most frequent first). */
export function describeStats(format: string, s: SourceStats): string {
  const order = ['span', 'span event', 'log record', 'event', 'activity', 'unreadable record'];
  const units = Object.entries(s.units)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([u, n]) => `${n} ${plural(u, n)}`);
  const reasons = Object.entries(s.skip_reasons)
    .sort(([ra, a], [rb, b]) => b - a || (ra < rb ? -1 : 1))
    .map(([r, n]) => `${r} ${n}`);
  return (
    `${format}: ${units.length ? units.join(', ') : '0 records'} read: ${s.mapped} mapped to ${s.events} event${s.events === 1 ? '' : 's'}, ` +
    `${s.skipped} skipped${reasons.length ? ` (${reasons.join(', ')})` : ''}, ${s.quarantined} quarantined`
  );
}

/** A RecordReader over a platform export: also says what was read from the source. */
export interface AdapterReader extends RecordReader {
  format: SourceFormat;
  /** Filled while `records()` runs; complete once it has finished. */
  sourceStats: SourceStats;
}

const KNOWN = new Set<string>(FIELD_NAMES);

/** An adapter's event as a SourceRecord's values: missing values dropped, non-canonical names noted in `unknown`. */
export const candidateValues = (event: CanonicalCandidate, unknown: Set<string>): Record<string, unknown> => withoutMissing(event, KNOWN, unknown);

/** The most events one source record maps to: the events of record `n` are numbered n × EVENT_SLOTS + 0, 1, …. */
export const EVENT_SLOTS = 8;

/**
 * Turns mapped source records into SourceRecords and counts them. Every source record gets the next ordinal
 * (`row`, 1-based); the events of one record share it, so a conflict found later is reported with its source record.
 * Each event's own ordinal (SourceRecord.ordinal) is its record's slot: an event's number never depends on how
 * many events the records before it had, which lets parts of a file be numbered apart (src/data/otelIngest.ts).
 */
export class Tally {
  readonly stats = emptyStats();
  readonly unknownFields = new Set<string>();
  private ordinal = 0;

  /** The ordinal of the last source record counted. */
  get position(): number {
    return this.ordinal;
  }

  /** Records one source record's outcome and returns the SourceRecords it becomes. */
  record(unit: string, raw: unknown, outcome: Outcome): SourceRecord[] {
    const s = this.stats;
    s.units[unit] = (s.units[unit] ?? 0) + 1;
    s.read++;
    const position = ++this.ordinal;
    if ('skip' in outcome) {
      s.skipped++;
      s.skip_reasons[outcome.skip] = (s.skip_reasons[outcome.skip] ?? 0) + 1;
      return [];
    }
    if ('error' in outcome) {
      s.quarantined++;
      return [{ position, positionKind: 'row', raw, error: outcome.error, ordinal: position * EVENT_SLOTS }];
    }
    if (outcome.events.length > EVENT_SLOTS) throw new Error(`a ${unit} mapped to ${outcome.events.length} events, more than EVENT_SLOTS`);
    s.mapped++;
    s.events += outcome.events.length;
    return outcome.events.map((event, i) => ({ position, positionKind: 'row', raw, values: candidateValues(event, this.unknownFields), ordinal: position * EVENT_SLOTS + i }));
  }
}

/** A platform export's reader: `records` maps the file through a Tally, which also counts what was read. */
export function talliedReader(format: SourceFormat, records: (tally: Tally) => AsyncGenerator<SourceRecord>): AdapterReader {
  const tally = new Tally();
  return { format, unknownFields: tally.unknownFields, sourceStats: tally.stats, records: () => records(tally) };
}

/** Decimal seconds (a JSON number or its text) → whole epoch milliseconds, exactly (digits below the ms dropped). */
export function secondsToMs(value: unknown): number | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) return undefined;
  if (typeof value !== 'number' && typeof value !== 'string') return undefined;
  const text = typeof value === 'number' ? decimalText(value) : value.trim();
  const m = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * 1000 + Number((m[2] ?? '').slice(0, 3).padEnd(3, '0'));
}

/** A number's plain decimal digits (no exponent), as JSON wrote it where possible. */
export function decimalText(value: number): string {
  const s = String(value);
  if (!/e/i.test(s)) return s;
  return value.toFixed(20).replace(/\.?0+$/, '');
}

/** Unix nanoseconds (a digit string or a number) → BigInt, or undefined when absent, zero or malformed. */
export function nanos(value: unknown): bigint | undefined {
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    const n = BigInt(value);
    return n > 0n ? n : undefined;
  }
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return BigInt(value);
  return undefined;
}

export const nanosToMs = (n: bigint): number => Number(n / 1_000_000n);
export const nanosDiffMs = (start: bigint, end: bigint): number => Number(end - start) / 1e6;

export const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A plain number from a JSON number or a numeric string (OTLP writes int64 as strings). */
export function num(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

/** A one-line description of where a unit was read, for quarantine reasons. */
export const at = (line: number) => `line ${line}`;

/**
 * The units of an export that is either JSON (any layout of `jsonUnits`) or CSV with a header row (a Dataverse or
 * SQL table export): CSV rows come as objects keyed by the header's names, lower-cased.
 */
export async function* exportUnits(file: string, descend: ReadonlySet<string>): AsyncGenerator<JsonItem> {
  const kind = firstCharKind(file);
  if (kind === 'json') {
    yield* jsonUnits(openInput(file), descend);
    return;
  }
  let header: string[] | undefined;
  for await (const record of csvRecords(openInput(file))) {
    if (!record.complete) {
      yield { error: 'a quoted CSV cell is never closed (truncated file?)', line: record.line, raw: record.text };
      continue;
    }
    if (!header) {
      header = record.cells.map((c) => c.trim().toLowerCase().replace(/\s+/g, ''));
      continue;
    }
    if (record.cells.length !== header.length) {
      yield { error: `CSV row has ${record.cells.length} cells where the header has ${header.length}`, line: record.line, raw: record.text };
      continue;
    }
    const row: Record<string, string> = {};
    header.forEach((name, i) => (row[name] = record.cells[i]));
    yield { value: row, key: undefined, line: record.line };
  }
}

/** The first bytes of a file as text, gunzipped when it is gzip (a partial stream is fine); for recognising formats. */
export function readHead(file: string, bytes = 64 * 1024): string {
  const fd = fs.openSync(file, 'r');
  let buf: Buffer;
  try {
    buf = Buffer.alloc(bytes);
    buf = buf.subarray(0, fs.readSync(fd, buf, 0, bytes, 0));
  } finally {
    fs.closeSync(fd);
  }
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    try {
      buf = zlib.gunzipSync(buf, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, bytes * 4);
    } catch {
      return '';
    }
  }
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

/** Whether a file's first non-blank character opens JSON (`{`, `[`) or something else (CSV). */
function firstCharKind(file: string): 'json' | 'other' {
  const t = readHead(file, 4096).trimStart();
  return t === '' || t[0] === '{' || t[0] === '[' ? 'json' : 'other';
}
