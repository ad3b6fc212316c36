import type { Readable } from 'node:stream';
import { UserError } from '../../errors.ts';
import { EVENT_FIELDS, type FieldKind } from '../schema.ts';
import { isBlank, linesOf } from './lines.ts';
import { openInput, type RecordReader, type SourceRecord } from './source.ts';

const REQUIRED_COLUMNS = ['event_id', 'ts', 'type'];
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Splits one CSV record (RFC 4180). `complete` is false when it ends inside a quoted cell. */
export function splitCsvRecord(text: string): { cells: string[]; complete: boolean } {
  if (!text.includes('"')) return { cells: text.split(','), complete: true };
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '"' && cell === '') quoted = true;
    else cell += c;
  }
  cells.push(cell);
  return { cells, complete: !quoted };
}

/** One CSV record: its cells, the line it starts on and its text; `complete` is false for a quoted cell never closed. */
export interface CsvRecord {
  cells: string[];
  line: number;
  text: string;
  complete: boolean;
}

/**
 * The records of a CSV stream (RFC 4180): blank lines between records are skipped, a quoted cell may span lines
 * (its line breaks kept as written), and an unclosed quote at the end yields one incomplete record.
 */
export async function* csvRecords(stream: Readable): AsyncGenerator<CsvRecord> {
  let pending = '';
  let pendingStart = 0;
  let pendingBreak = '\n';
  for await (const [line, number, lineBreak] of linesOf(stream)) {
    if (!pending && isBlank(line)) continue;
    const text = pending ? `${pending}${pendingBreak}${line}` : line;
    const start = pending ? pendingStart : number;
    const { cells, complete } = splitCsvRecord(text);
    if (!complete) {
      pending = text;
      pendingStart = start;
      pendingBreak = lineBreak;
      continue;
    }
    pending = '';
    yield { cells, line: start, text, complete: true };
  }
  if (pending) yield { cells: [], line: pendingStart, text: pending, complete: false };
}

/** A CSV cell turned into the JSON value its column's kind expects; text that does not parse stays text. */
export function cellValue(kind: FieldKind, cell: string): unknown {
  switch (kind) {
    case 'number':
    case 'integer':
      return JSON_NUMBER.test(cell) ? Number(cell) : cell;
    case 'timestamp':
      return JSON_NUMBER.test(cell) ? Number(cell) : cell;
    case 'boolean': {
      const lower = cell.toLowerCase();
      return lower === 'true' ? true : lower === 'false' ? false : cell;
    }
    default:
      return cell;
  }
}

/** Canonical events as CSV with a header row; empty cells are missing, cells are never trimmed. */
export function csvReader(file: string): RecordReader {
  const unknownFields = new Set<string>();
  return {
    unknownFields,
    async *records(): AsyncGenerator<SourceRecord> {
      let header: string[] | undefined;
      let kinds: (FieldKind | undefined)[] = [];
      for await (const record of csvRecords(openInput(file))) {
        if (!record.complete) {
          if (header) yield { position: record.line, positionKind: 'line', raw: record.text, error: 'row: a quoted cell is never closed (truncated file?)' };
          continue;
        }
        if (!header) {
          header = record.cells;
          const missing = REQUIRED_COLUMNS.filter((c) => !header!.includes(c));
          if (missing.length)
            throw new UserError(`${file}: line ${record.line}: CSV header lacks the required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; the first row must name the fields (event_id,ts,type,…)`);
          kinds = header.map((name) => (EVENT_FIELDS as Record<string, FieldKind>)[name]);
          header.forEach((name, i) => kinds[i] === undefined && unknownFields.add(name));
          continue;
        }
        yield toRecord(header, kinds, record.cells, record.line);
      }
      if (!header) throw new UserError(`${file}: empty CSV file (no header row); export the events with a header row`);
    },
  };
}

function toRecord(header: string[], kinds: (FieldKind | undefined)[], cells: string[], position: number): SourceRecord {
  if (cells.length !== header.length) {
    return { position, positionKind: 'line', raw: cells, error: `row: ${cells.length} cells where the header has ${header.length}` };
  }
  const raw: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    raw[header[i]] = cell;
    const kind = kinds[i];
    if (kind === undefined || cell === '') continue;
    values[header[i]] = cellValue(kind, cell);
  }
  return { position, positionKind: 'line', raw, values };
}
