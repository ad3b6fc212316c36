import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Db } from '../db/connection.ts';
import { UserError } from '../errors.ts';
import { LineWriter } from '../fs/lineWriter.ts';
import { describeStats, isAdapterReader, type SourceStats } from './adapters/index.ts';
import { hashFile, type InputFile } from './inputs.ts';
import { ordinalOf, readFailure } from './readers/source.ts';
import { readerFor, type SourceRecord } from './readers/index.ts';
import { validateEvent, type CanonicalEvent } from './schema.ts';
import { ingestOtelInParallel, loadOtelStaging, type OtelStaging } from './otelIngest.ts';
import { ingestNdjsonInSql, loadStagingFiles } from './sqlIngest.ts';

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
  /** How far the current file has come, 0–100, where rows are not counted as they go (a file read by DuckDB). */
  percent?(value: number): void;
  warn(message: string): void;
}

const wellFormed = (_key: string, value: unknown) => (typeof value === 'string' ? value.toWellFormed() : value);

export function quarantineEntry(source: string, record: Pick<SourceRecord, 'position' | 'positionKind' | 'raw'>, reason: string): QuarantineEntry {
  return { source, [record.positionKind]: record.position, reason, raw: record.raw };
}

/** One input file's part of a run: where its valid rows and its rejected rows go. */
export interface IngestJob {
  input: InputFile;
  /** The file's SHA-256, or '' while it is being hashed beside the reading (see `ingest`). */
  sha256: string;
  /** The input's index on the command line; its rows' `seq` is `src × 2^32 + row`, the global first-seen order. */
  src: number;
  stagingFile: string;
  quarantineFile: string;
}

export interface FileOutcome {
  stats: InputStats;
  warnings: string[];
}

/** 2^32: room for four billion rows per input before the next input's seq. */
const SEQ_STRIDE = 2 ** 32;

/** The global first-seen order of an input's record (inputs in command-line order, records in file order). */
export const seqOf = (src: number, ordinal: number): number => src * SEQ_STRIDE + ordinal;

/**
 * One valid event as a line of a staging file: `seq`, `src`, `pos` (the record's ordinal in its input, 1-based)
 * and the canonical fields, `ts` in epoch ms.
 */
export function stagingLine(src: number, ordinal: number, event: CanonicalEvent): string {
  return jsonLine({ seq: seqOf(src, ordinal), src, pos: ordinal, ...event });
}

/**
 * A staged row as one JSON line. A lone surrogate (`"\ud800"` is valid JSON) would make the file unreadable for
 * DuckDB; such strings are stored with U+FFFD in its place, as a decoder does with invalid UTF-8 bytes.
 */
export function jsonLine(row: object): string {
  const line = JSON.stringify(row);
  return line.includes('\\u') ? JSON.stringify(row, wellFormed) : line;
}

/**
 * Where the records of one input go: each is validated against the canonical schema, the valid ones are written
 * to the job's staging file (see stagingLine), the invalid ones to its quarantine file, and `stat` counts both.
 */
export class RecordSink {
  private readonly job: IngestJob;
  private readonly stat: InputStats;
  private readonly staging: LineWriter;
  private readonly quarantine: LineWriter;
  constructor(job: IngestJob, stat: InputStats) {
    this.job = job;
    this.stat = stat;
    this.staging = new LineWriter(job.stagingFile);
    this.quarantine = new LineWriter(job.quarantineFile);
  }

  /** Takes the record with this ordinal; the promise, when there is one, is the writers' back-pressure. */
  add(record: SourceRecord, ordinal: number): Promise<unknown> | undefined {
    const result = record.error ? { ok: false as const, reason: record.error } : validateEvent(record.values!);
    if (result.ok) {
      this.stat.valid++;
      return this.staging.write(stagingLine(this.job.src, ordinal, result.event));
    }
    this.stat.quarantined++;
    return this.quarantine.write(JSON.stringify(quarantineEntry(this.job.input.path, record, result.reason)));
  }

  async close(): Promise<void> {
    await this.staging.close();
    await this.quarantine.close();
  }
}

/**
 * Reads one input into its RecordSink. De-duplication happens later, in SQL, across all inputs.
 */
export async function ingestFile(job: IngestJob, onRows: (count: number) => void = () => {}): Promise<FileOutcome> {
  const { input, sha256 } = job;
  const warnings: string[] = [];
  const reader = readerFor(input);
  const stat: InputStats = { path: input.path, format: input.format, sha256, read: 0, valid: 0, quarantined: 0 };
  const sink = new RecordSink(job, stat);
  try {
    for await (const record of reader.records()) {
      stat.read++;
      if ((stat.read & 0xffff) === 0) onRows(stat.read);
      const wait = sink.add(record, ordinalOf(record, stat.read));
      if (wait) await wait;
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw readFailure(input.path, error);
  } finally {
    await sink.close();
  }
  onRows(stat.read);
  if (isAdapterReader(reader)) return platformOutcome(stat, reader.sourceStats, reader.unknownFields);
  if (stat.read === 0) throw new UserError(noRows(input.path));
  if (reader.unknownFields.size) warnings.push(unknownFieldsWarning(input.path, reader.unknownFields));
  return { stats: stat, warnings };
}

/**
 * The outcome of a platform export read in full, with what was read from the source: a file with nothing of the
 * format in it is the user's error; one whose records are none of them chatbot events (traces of other
 * services), a warning.
 */
export function platformOutcome(stat: InputStats, source: SourceStats, unknownFields: ReadonlySet<string>): FileOutcome {
  stat.source = source;
  if (source.read === 0)
    throw new UserError(`${stat.path}: nothing found to read as ${stat.format}; check that the file is such an export, or name its format with --from`);
  const warnings: string[] = [];
  if (stat.read === 0) warnings.push(`${stat.path}: no chatbot events in it (${describeStats(stat.format, source)})`);
  if (unknownFields.size) warnings.push(unknownFieldsWarning(stat.path, unknownFields));
  return { stats: stat, warnings };
}

const noRows = (file: string) => `${file}: no data rows; export at least one event, or leave the file out`;

export const unknownFieldsWarning = (file: string, names: Iterable<string>): string => {
  const sorted = [...names].sort();
  return `${file}: ignored unknown field${sorted.length > 1 ? 's' : ''} ${sorted.join(', ')}`;
};

export interface IngestResult {
  stats: InputStats[];
  quarantineFiles: string[];
}

/**
 * Ingests every input into `staged` (see sqlIngest.ts): canonical NDJSON files are checked in DuckDB, one after
 * the other, while the other inputs are read and validated in JavaScript, several at once in worker threads when
 * there is more than one of them and more than one core. Each job writes its own pair of files, so the order
 * stays that of the inputs.
 */
export async function ingest(inputs: { input: InputFile; sha256?: string }[], workDir: string, progress: IngestProgress, db: Db, parallelism = os.availableParallelism()): Promise<IngestResult> {
  // An input not hashed yet is hashed while it is read (the hash only goes into the manifest); the parallel
  // OpenTelemetry reading hashes it from the bytes it reads itself.
  const hashes: (Promise<string> | undefined)[] = [];
  const hashBeside = (job: IngestJob) => {
    if (job.sha256) return;
    const hash = hashFile(job.input.path);
    hash.catch(() => {}); // awaited after the reading, which reports a file it cannot read first
    hashes[job.src] = hash;
  };
  const jobs: IngestJob[] = inputs.map(({ input, sha256 }, src) => ({
    input,
    sha256: sha256 ?? '',
    src,
    stagingFile: path.join(workDir, `staging-${src}.ndjson`),
    quarantineFile: path.join(workDir, `quarantine-${src}.ndjson`),
  }));
  const outcomes: FileOutcome[] = new Array(jobs.length);
  const inSql = jobs.filter((job) => job.input.format === 'ndjson');
  const inOtel = jobs.filter((job) => job.input.format === 'otel');
  const inJs = jobs.filter((job) => job.input.format !== 'ndjson' && job.input.format !== 'otel');
  const otelStaging: OtelStaging[] = [];
  const workers = Math.min(parallelism, inJs.length);
  let next = 0;
  // After a failure no lane starts another file; the others finish the one they are on, since a DuckDB query
  // must not outlive the connection that the caller closes on failure.
  let failed = false;
  const lane = (run: () => Promise<void>) => run().catch((error) => {
    failed = true;
    throw error;
  });
  const jsLane = async () => {
    while (next < inJs.length && !failed) {
      const job = inJs[next++];
      progress.fileStarted(job.input, job.src, jobs.length);
      hashBeside(job);
      outcomes[job.src] = workers > 1 ? await inWorker(job, progress) : await ingestFile(job, (n) => progress.rows(n));
    }
  };
  const sqlLane = async () => {
    for (const job of inSql) {
      if (failed) return;
      progress.fileStarted(job.input, job.src, jobs.length);
      hashBeside(job);
      outcomes[job.src] = (await ingestNdjsonInSql(db, job, (p) => progress.percent?.(p))) ?? (await ingestFile(job, (n) => progress.rows(n)));
      progress.rows(outcomes[job.src].stats.read);
    }
  };
  // OpenTelemetry files one after the other, each over all cores (otelIngest.ts), or read by otelReader.
  const otelLane = async () => {
    for (const job of inOtel) {
      if (failed) return;
      progress.fileStarted(job.input, job.src, jobs.length);
      const parallel = await ingestOtelInParallel(job, workDir, (n) => progress.rows(n), { parallelism });
      if (parallel) otelStaging.push(parallel.staging);
      if (!parallel?.outcome.stats.sha256) hashBeside(job);
      outcomes[job.src] = parallel?.outcome ?? (await ingestFile(job, (n) => progress.rows(n)));
    }
  };
  const settled = await Promise.allSettled([lane(sqlLane), lane(otelLane), ...Array.from({ length: workers }, () => lane(jsLane))]);
  for (const result of settled) if (result.status === 'rejected') throw result.reason;
  for (const [src, outcome] of outcomes.entries()) if (hashes[src]) outcome.stats.sha256 = await hashes[src];
  for (const outcome of outcomes) for (const warning of outcome.warnings) progress.warn(warning);
  for (const staging of otelStaging) await loadOtelStaging(db, staging, outcomes[staging.job.src]);
  await loadStagingFiles(db, jobs.map((j) => j.stagingFile));
  return { stats: outcomes.map((o) => o.stats), quarantineFiles: jobs.map((j) => j.quarantineFile) };
}

/** Runs `ingestFile` in a worker thread; a user error there is one here too. */
function inWorker(job: IngestJob, progress: IngestProgress): Promise<FileOutcome> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./ingestWorker.ts', import.meta.url), { workerData: job });
    worker.on('message', (message: { rows?: number; done?: FileOutcome; failed?: { message: string; user: boolean } }) => {
      if (message.rows !== undefined) progress.rows(message.rows);
      else if (message.done) resolve(message.done);
      else if (message.failed) reject(message.failed.user ? new UserError(message.failed.message) : new Error(message.failed.message));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => code !== 0 && reject(new Error(`ingest worker for ${job.input.path} stopped with code ${code}`)));
  });
}
