import fs from 'node:fs';
import { once } from 'node:events';
import { UserError } from '../errors.ts';
import { describeStats, isAdapterReader, type SourceStats } from './adapters/index.ts';
import type { InputFile } from './inputs.ts';
import { readFailure } from './readers/source.ts';
import { readerFor, type SourceRecord } from './readers/index.ts';
import { validateEvent } from './schema.ts';

export interface QuarantineEntry {
  source: string;
  line?: number;
  row?: number;
  reason: string;
  raw: unknown;
}

export interface InputStats {
  path: string;
  format: string;
  sha256: string;
  read: number;
  valid: number;
  quarantined: number;
  /** For a platform export: the source records read and what became of them (src/data/adapters). */
  source?: SourceStats;
}

export interface IngestProgress {
  fileStarted(input: InputFile, index: number, total: number): void;
  rows(count: number): void;
  warn(message: string): void;
}

/** A line-buffered file writer that honours back-pressure, so memory stays bounded on huge inputs. */
export class LineWriter {
  private stream: fs.WriteStream;
  private buffer: string[] = [];
  private size = 0;
  constructor(file: string) {
    this.stream = fs.createWriteStream(file);
  }
  async write(line: string): Promise<void> {
    this.buffer.push(line);
    this.size += line.length;
    if (this.size > 1 << 20) await this.flush();
  }
  async flush(): Promise<void> {
    if (!this.buffer.length) return;
    const ok = this.stream.write(this.buffer.join('\n') + '\n');
    this.buffer = [];
    this.size = 0;
    if (!ok) await once(this.stream, 'drain');
  }
  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

const wellFormed = (_key: string, value: unknown) => (typeof value === 'string' ? value.toWellFormed() : value);

export function quarantineEntry(source: string, record: Pick<SourceRecord, 'position' | 'positionKind' | 'raw'>, reason: string): QuarantineEntry {
  return { source, [record.positionKind]: record.position, reason, raw: record.raw };
}

/**
 * Reads every input in order, validates each row against the canonical schema and writes the valid ones to
 * `stagingFile` as NDJSON (`seq`, `src`, `pos` and the canonical fields; `ts` in epoch ms) and the invalid
 * ones to `quarantineFile`. `seq` is the global first-seen order. De-duplication happens later, in SQL.
 */
export async function ingest(
  inputs: { input: InputFile; sha256: string }[],
  stagingFile: string,
  quarantineFile: string,
  progress: IngestProgress,
): Promise<InputStats[]> {
  const staging = new LineWriter(stagingFile);
  const quarantine = new LineWriter(quarantineFile);
  const stats: InputStats[] = [];
  let seq = 0;
  try {
    for (const [src, { input, sha256 }] of inputs.entries()) {
      progress.fileStarted(input, src, inputs.length);
      const reader = readerFor(input);
      const stat: InputStats = { path: input.path, format: input.format, sha256, read: 0, valid: 0, quarantined: 0 };
      try {
        for await (const record of reader.records()) {
          stat.read++;
          if ((stat.read & 0xffff) === 0) progress.rows(stat.read);
          const result = record.error ? { ok: false as const, reason: record.error } : validateEvent(record.values!);
          if (result.ok) {
            stat.valid++;
            let fields = JSON.stringify(result.event);
            // A lone surrogate (`"\ud800"` is valid JSON) would make the staging file unreadable for DuckDB; such
            // strings are stored with U+FFFD in its place, as a decoder does with invalid UTF-8 bytes.
            if (fields.includes('\\u')) fields = JSON.stringify(result.event, wellFormed);
            await staging.write(`{"seq":${seq++},"src":${src},"pos":${record.position},${fields.slice(1)}`);
          } else {
            stat.quarantined++;
            await quarantine.write(JSON.stringify(quarantineEntry(input.path, record, result.reason)));
          }
        }
      } catch (error) {
        if (error instanceof UserError) throw error;
        throw readFailure(input.path, error);
      }
      progress.rows(stat.read);
      if (isAdapterReader(reader)) {
        // A platform export may hold records none of which is a chatbot event (traces of other services): a warning.
        stat.source = reader.sourceStats;
        if (reader.sourceStats.read === 0)
          throw new UserError(`${input.path}: nothing found to read as ${input.format}; check that the file is such an export, or name its format with --from`);
        if (stat.read === 0) progress.warn(`${input.path}: no chatbot events in it (${describeStats(input.format, reader.sourceStats)})`);
      } else if (stat.read === 0) throw new UserError(`${input.path}: no data rows; export at least one event, or leave the file out`);
      if (reader.unknownFields.size)
        progress.warn(`${input.path}: ignored unknown field${reader.unknownFields.size > 1 ? 's' : ''} ${[...reader.unknownFields].sort().join(', ')}`);
      stats.push(stat);
    }
  } finally {
    await staging.close();
    await quarantine.close();
  }
  return stats;
}
