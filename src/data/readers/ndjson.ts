import { FIELD_NAMES } from '../schema.ts';
import { isBlank, linesOf } from './lines.ts';
import { openInput, withoutMissing, type RecordReader, type SourceRecord } from './source.ts';

const KNOWN = new Set<string>(FIELD_NAMES);

/** Canonical events as NDJSON: one JSON object per line; blank lines are skipped and not counted. */
export function ndjsonReader(file: string): RecordReader {
  const unknownFields = new Set<string>();
  return {
    unknownFields,
    async *records(): AsyncGenerator<SourceRecord> {
      for await (const [line, position] of linesOf(openInput(file))) {
        if (!isBlank(line)) yield ndjsonRecord(line, position, unknownFields);
      }
    },
  };
}

/** One non-blank NDJSON line as a record: its values, or why it is not a JSON object. */
export function ndjsonRecord(line: string, position: number, unknownFields: Set<string>): SourceRecord {
  const base = { position, positionKind: 'line' as const, raw: line };
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    return { ...base, error: `row: not a JSON object (${(error as Error).message})` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { ...base, error: 'row: not a JSON object' };
  return { ...base, values: withoutMissing(parsed as Record<string, unknown>, KNOWN, unknownFields) };
}
