import fs from 'node:fs';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { UserError } from '../../errors.ts';

/** One data row of an input file, before validation. */
export interface SourceRecord {
  /** 1-based line (NDJSON, CSV: where the record starts) or row (Parquet) number. */
  position: number;
  positionKind: 'line' | 'row';
  /** The original row, kept verbatim for the quarantine. */
  raw: unknown;
  /** Field values as JSON values with missing ones removed, or why the row could not be read. */
  values?: Record<string, unknown>;
  error?: string;
  /**
   * The record's place in its input's reading order, when the reader numbers its records itself (adapters: see
   * Tally); else the count of records read so far.
   */
  ordinal?: number;
}

/** A record's ordinal in its input (what staged rows and conflicts are numbered by); `read`: records read up to it. */
export const ordinalOf = (record: SourceRecord, read: number): number => record.ordinal ?? read;

export interface RecordReader {
  /** Names of fields that are not canonical, collected while reading (reported once per file). */
  unknownFields: Set<string>;
  records(): AsyncGenerator<SourceRecord>;
}

const GZIP_MAGIC = [0x1f, 0x8b];

export function isGzipFile(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const n = fs.readSync(fd, head, 0, 2, 0);
    return n === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * A byte stream of the file, gunzipped when it is gzip; read and decompression errors become UserErrors.
 * `onBytes` sees the file's own bytes, in order, as they are read.
 */
export function openInput(file: string, onBytes?: (bytes: Buffer) => void): Readable {
  const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  if (onBytes) raw.on('data', (bytes) => onBytes(bytes as Buffer));
  const stream = isGzipFile(file) ? raw.pipe(zlib.createGunzip({ chunkSize: 1 << 20 })) : raw;
  raw.on('error', (error) => stream.destroy(error));
  return stream;
}

export function readFailure(file: string, error: unknown): UserError {
  const err = error as NodeJS.ErrnoException;
  // One line: DuckDB's messages go on with the failing SQL and a caret.
  const detail = String(err.message).split('\n')[0].trim();
  if (err.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(err.message))
    return new UserError(`${file}: truncated gzip stream; export the file again or remove it from the inputs`);
  if (err.code?.startsWith('Z_') || /incorrect header check|invalid (block type|distance|stored)/i.test(err.message))
    return new UserError(`${file}: corrupt gzip data (${detail}); export the file again or remove it from the inputs`);
  return new UserError(`${file}: cannot be read (${detail}); check the file's permissions and that it is complete`);
}

/** Drops the missing values of events.md (absent, null, "") so that validation sees only present ones. */
export function withoutMissing(values: Record<string, unknown>, known: ReadonlySet<string>, unknown: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in values) {
    const value = values[key];
    if (!known.has(key)) {
      unknown.add(key);
      continue;
    }
    if (value === null || value === '' || value === undefined) continue;
    out[key] = value;
  }
  return out;
}
