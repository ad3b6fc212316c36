import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Db } from '../db/connection.ts';
import { UserError } from '../errors.ts';
import { adapterOptions, emptyStats, addStats, type SourceStats } from './adapters/index.ts';
import { EVENT_SLOTS, readHead } from './adapters/common.ts';
import { fieldKeys } from './adapters/otel.ts';
import type { OtelOptions } from './adapters/options.ts';
import { platformOutcome, quarantineEntry, RecordSink, seqOf, type FileOutcome, type IngestJob, type InputStats } from './ingest.ts';
import { isGzipFile, openInput, readFailure, type SourceRecord } from './readers/source.ts';
import { FIELD_NAMES } from './schema.ts';
import { jsonFilesSql, STAGED_FIELDS, type JsonColumn } from './sqlIngest.ts';

/**
 * OpenTelemetry files of one request per line (what the Collector's file exporter writes) read in one pass, in
 * parallel: the file is cut into chunks at line breaks, and worker threads (otelIngestWorker.ts) map each chunk's
 * spans with their trace id standing in for their conversation, and write what the chunk says of each trace.
 * `loadOtelStaging` then joins, in SQL, the chunks' facts by the rules of otelIndex.ts (in file order: a trace's
 * best-ranked conversation key, the first value of each field, its earliest span), gives every row its trace's
 * conversation and shared values, and adds each conversation's start.
 * The rows, their ordinals (`seq`, `pos`: see Tally), the counts and the quarantine are those of the two-pass
 * otelReader, which reads any other layout; test/data/otelIngest.test.ts holds both to that.
 */

export interface WorkerSetup {
  file: string;
  stagingFile: string;
  factsFile: string;
  options: OtelOptions;
}

/** A chunk's bytes: a byte range of the file, or (of a gzip file) the decompressed bytes themselves. */
export type ChunkBytes = { range: { offset: number; length: number } } | { bytes: ArrayBuffer };

export type ChunkMessage = ChunkBytes & {
  chunk: number;
  /** The 1-based number of the chunk's first line. */
  firstLine: number;
};

/** What a worker made of one chunk. */
export interface MappedChunk {
  chunk: number;
  /** Source records counted (the Tally's ordinals) and events staged. */
  records: number;
  valid: number;
  /** The events that failed (with the reason as `error`); positions and ordinals count from the chunk's start. */
  rejected: SourceRecord[];
  stats: SourceStats;
  unknownFields: string[];
}

/** A chunk whose line `notLineDelimited` is not a whole JSON value: the file is read by otelReader instead. */
export type ChunkResult = MappedChunk | { chunk: number; notLineDelimited: number };

/** What the workers wrote of one OpenTelemetry input, for `loadOtelStaging`. */
export interface OtelStaging {
  job: IngestJob;
  /**
   * Rows: `chunk`, `k` (the row's ordinal within its chunk), `via` and the event. `via` 1: its conversation id is
   * its trace's id, for its trace's conversation to replace; 2: its user id and dimensions also fall back to the
   * values the trace shares.
   */
  rowFiles: string[];
  /** Per chunk and trace: `conv`, `rank`, the shared values, and the earliest span (`first_start`, `first_span`, `rec`, `slot`, `own_*`, `start_ms` or `raw` and `reason`). */
  factsFiles: string[];
  /** The ordinal each chunk's rows start from (`chunk`, `base`), and the source records before it (`records`). */
  chunksFile: string;
  /** The fields a span's events inherit from their trace. */
  inherited: string[];
}

const CHUNK_BYTES = 1 << 20;

/**
 * Reads an OpenTelemetry input in parallel chunks into files for `loadOtelStaging`; undefined when the file is not
 * one JSON value per line (a pretty-printed document, CSV), which otelReader reads instead. The chunks' failed
 * events go through the job's RecordSink like any reader's records.
 */
export async function ingestOtelInParallel(
  job: IngestJob,
  workDir: string,
  onRows: (count: number) => void,
  { parallelism = os.availableParallelism(), chunkBytes = CHUNK_BYTES } = {},
): Promise<{ outcome: FileOutcome; staging: OtelStaging } | undefined> {
  const { input, src } = job;
  const first = readHead(input.path, 4096).trimStart();
  if (first !== '' && first[0] !== '{' && first[0] !== '[') return undefined;
  const options = adapterOptions(input.adapters).otel;
  const workers = Array.from({ length: Math.max(1, parallelism) }, (_, k) => ({
    file: input.path,
    stagingFile: path.join(workDir, `otel-${src}-rows-${k}.ndjson`),
    factsFile: path.join(workDir, `otel-${src}-facts-${k}.ndjson`),
    options,
  }));
  const pool = new ChunkPool(workers);

  const stat: InputStats = { path: input.path, format: input.format, sha256: job.sha256, read: 0, valid: 0, quarantined: 0 };
  // A file not hashed yet is hashed from the bytes read here (lineChunks), once.
  const hash = job.sha256 ? undefined : crypto.createHash('sha256');
  const sourceStats = emptyStats();
  const unknownFields = new Set<string>();
  /** Source records before each chunk: a chunk's record ordinals become the file's. */
  const recordsBefore: number[] = [];
  let records = 0;
  const sink = new RecordSink(job, stat);
  let lineDelimited = true;
  const take = async (result: ChunkResult) => {
    if ('notLineDelimited' in result) {
      lineDelimited = false;
      return;
    }
    // Once a line is not a whole value, the file is otelReader's: later chunks' results are dropped.
    if (!lineDelimited) return;
    recordsBefore[result.chunk] = records;
    stat.read += result.valid + result.rejected.length;
    stat.valid += result.valid;
    for (const record of result.rejected) await sink.add({ ...record, position: record.position + records }, record.ordinal! + records * EVENT_SLOTS);
    records += result.records;
    addStats(sourceStats, result.stats);
    for (const name of result.unknownFields) unknownFields.add(name);
    onRows(stat.read);
  };

  try {
    try {
      let chunk = 0;
      let line = 1;
      for await (const { chunk: bytes, lineBreaks } of lineChunks(input.path, chunkBytes, hash)) {
        await pool.send({ ...bytes, chunk: chunk++, firstLine: line }, take);
        if (!lineDelimited) break;
        line += lineBreaks;
      }
      await pool.finish(take);
    } finally {
      await pool.close();
    }
    if (!lineDelimited) return undefined;

    if (hash) stat.sha256 = hash.digest('hex');
    const chunksFile = path.join(workDir, `otel-${src}-chunks.ndjson`);
    fs.writeFileSync(chunksFile, recordsBefore.map((records, chunk) => `{"chunk":${chunk},"base":${records * EVENT_SLOTS},"records":${records}}\n`).join(''));

    const inherited = fieldKeys(options).map(([field]) => field);
    return {
      outcome: platformOutcome(stat, sourceStats, unknownFields),
      staging: { job, rowFiles: workers.map((w) => w.stagingFile), factsFiles: workers.map((w) => w.factsFile), chunksFile, inherited },
    };
  } finally {
    await sink.close();
  }
}

/**
 * Adds an OpenTelemetry input's rows to `staged`, each with its trace's conversation and shared values, and each
 * conversation's start; a start that fails validation goes to the input's quarantine. `outcome` counts the starts.
 */
export async function loadOtelStaging(db: Db, staging: OtelStaging, outcome: FileOutcome): Promise<void> {
  const { job, inherited } = staging;
  const t = (name: string) => `otel_${name}_${job.src}`;
  const shared = inherited.map((f): JsonColumn => [f, 'VARCHAR']);
  await db.run(`CREATE TEMP TABLE ${t('chunks')} AS SELECT * FROM ${jsonFilesSql([staging.chunksFile], [['chunk', 'INTEGER'], ['base', 'BIGINT'], ['records', 'BIGINT']])}`);
  await db.run(`CREATE TEMP TABLE ${t('facts')} AS SELECT * FROM ${jsonFilesSql(staging.factsFiles, [
    ['chunk', 'INTEGER'], ['trace_id', 'VARCHAR'], ['conv', 'VARCHAR'], ['rank', 'BIGINT'], ...shared,
    ['first_start', 'VARCHAR'], ['first_span', 'VARCHAR'], ['rec', 'BIGINT'], ['slot', 'INTEGER'],
    ...inherited.map((f): JsonColumn => [`own_${f}`, 'VARCHAR']), ['start_ms', 'BIGINT'], ['raw', 'VARCHAR'], ['reason', 'VARCHAR'],
  ])}`);
  // A trace's conversation is its best-ranked key, the first chunk's on a tie; each shared value the first chunk's.
  const firstOf = (f: string) => `arg_min(${f}, chunk) FILTER (WHERE ${f} IS NOT NULL) AS ${f}`;
  await db.run(`CREATE TEMP TABLE ${t('traces')} AS SELECT trace_id,
      arg_min(conv, rank * 4294967296 + chunk) FILTER (WHERE conv IS NOT NULL) AS conv${inherited.map((f) => `, ${firstOf(f)}`).join('')}
    FROM ${t('facts')} GROUP BY trace_id`);

  const rows = jsonFilesSql(staging.rowFiles, [['chunk', 'INTEGER'], ['k', 'BIGINT'], ['via', 'INTEGER'], ...STAGED_FIELDS]);
  const value = (f: (typeof FIELD_NAMES)[number]) => {
    if (f === 'ts') return 'epoch_ms(r.ts)::TIMESTAMPTZ';
    if (f === 'conversation_id') return 'CASE WHEN r.via IS NULL THEN r.conversation_id ELSE coalesce(tr.conv, r.conversation_id) END';
    if (inherited.includes(f)) return `CASE WHEN r.via = 2 THEN coalesce(r.${f}, tr.${f}) ELSE r.${f} END`;
    return `r.${f}`;
  };
  const seq0 = seqOf(job.src, 0);
  await db.run(`INSERT INTO staged SELECT ${seq0} + c.base + r.k, ${job.src}, c.base + r.k, ${FIELD_NAMES.map(value).join(', ')}, true, NULL
    FROM ${rows} r JOIN ${t('chunks')} c ON r.chunk = c.chunk LEFT JOIN ${t('traces')} tr ON r.conversation_id = tr.trace_id`);

  // Each conversation's start: its earliest mapped span (by start, then trace and span id; its first copy).
  await db.run(`CREATE TEMP TABLE ${t('starts')} AS
    WITH firsts AS (
      SELECT f.rowid AS id, f.*, coalesce(tr.conv, f.trace_id) AS conversation_id${inherited.map((x) => `, coalesce(f.own_${x}, tr.${x}) AS start_${x}`).join('')}
      FROM ${t('facts')} f JOIN ${t('traces')} tr ON f.trace_id = tr.trace_id
      WHERE f.first_span IS NOT NULL
    )
    SELECT * FROM firsts WHERE id IN (
      SELECT arg_min(id, (length(first_start), first_start, trace_id || ':' || first_span, chunk)) FROM firsts GROUP BY conversation_id)`);
  const startValue = (f: (typeof FIELD_NAMES)[number]) => {
    if (f === 'event_id') return `s.trace_id || ':' || s.first_span || ':start'`;
    if (f === 'ts') return 'epoch_ms(s.start_ms)::TIMESTAMPTZ';
    if (f === 'type') return `'conversation_started'`;
    if (f === 'conversation_id') return 's.conversation_id';
    if (inherited.includes(f)) return `s.start_${f}`;
    return 'NULL';
  };
  const pos = `c.base + s.rec * ${EVENT_SLOTS} + s.slot`;
  await db.run(`INSERT INTO staged SELECT ${seq0} + ${pos}, ${job.src}, ${pos}, ${FIELD_NAMES.map(startValue).join(', ')}, true, NULL
    FROM ${t('starts')} s JOIN ${t('chunks')} c ON s.chunk = c.chunk WHERE s.start_ms IS NOT NULL`);
  const [{ starts }] = await db.all<{ starts: number }>(`SELECT count(*) AS starts FROM ${t('starts')}`);
  const failed = await db.all<{ position: number; raw: string; reason: string }>(
    `SELECT c.records + s.rec AS position, s.raw, s.reason FROM ${t('starts')} s JOIN ${t('chunks')} c ON s.chunk = c.chunk WHERE s.start_ms IS NULL ORDER BY position`,
  );
  for (const name of ['chunks', 'facts', 'traces', 'starts']) await db.run(`DROP TABLE ${t(name)}`);

  const { stats } = outcome;
  stats.read += starts;
  stats.valid += starts - failed.length;
  stats.quarantined += failed.length;
  stats.source!.events += starts;
  if (failed.length)
    fs.appendFileSync(job.quarantineFile, failed.map((f) => `${JSON.stringify(quarantineEntry(job.input.path, { position: f.position, positionKind: 'row', raw: JSON.parse(f.raw) }, f.reason))}\n`).join(''));
}

/**
 * A file's chunks of whole lines of about `size` bytes (the last may lack its line break), with the number of line
 * breaks in each. A plain file's chunks are byte ranges the worker reads itself; a gzip file's are its decompressed
 * bytes, moved to the worker. `hash` takes the file's bytes in order.
 */
async function* lineChunks(file: string, size: number, hash?: crypto.Hash): AsyncGenerator<{ chunk: ChunkBytes; lineBreaks: number }> {
  try {
    if (isGzipFile(file)) {
      const stream = openInput(file, hash && ((bytes) => hash.update(bytes))) as AsyncIterable<Buffer>;
      for await (const bytes of cutAtLines(stream, size)) yield { chunk: { bytes }, lineBreaks: countLineBreaks(Buffer.from(bytes)) };
    } else yield* fileRanges(file, size, hash);
  } catch (error) {
    throw readFailure(file, error);
  }
}

/** A plain file's ranges of whole lines, read here once through one buffer to count their line breaks. */
function* fileRanges(file: string, size: number, hash?: crypto.Hash): Generator<{ chunk: ChunkBytes; lineBreaks: number }> {
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(size);
  let hashed = 0;
  /** Reads `size` bytes at `at` into the buffer; the hash takes those it has not had yet. */
  const read = (at: number) => {
    const n = fs.readSync(fd, buffer, 0, size, at);
    if (hash && at + n > hashed) {
      hash.update(buffer.subarray(hashed - at, n));
      hashed = at + n;
    }
    return n;
  };
  try {
    for (let offset = 0; ; ) {
      const n = read(offset);
      if (n === 0) return;
      // A range ends after the last line break of its block, or at the end of the file.
      let length = n < size ? n : buffer.lastIndexOf(10) + 1;
      let lineBreaks = countLineBreaks(buffer.subarray(0, length));
      // A line longer than a block: the range runs to its end.
      for (let at = offset + n; length === 0; ) {
        const m = read(at);
        const nl = buffer.subarray(0, m).indexOf(10);
        if (nl !== -1 || m === 0) {
          length = at - offset + (nl === -1 ? 0 : nl + 1);
          lineBreaks = nl === -1 ? 0 : 1;
        }
        at += m;
      }
      yield { chunk: { range: { offset, length } }, lineBreaks };
      offset += length;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** A stream's bytes in chunks of whole lines (the last may lack its line break), each in memory of its own. */
async function* cutAtLines(blocks: AsyncIterable<Buffer>, size: number): AsyncGenerator<ArrayBuffer> {
  let parts: Buffer[] = [];
  let length = 0;
  const copy = (all: Buffer, end: number) => all.buffer.slice(all.byteOffset, all.byteOffset + end) as ArrayBuffer;
  for await (const block of blocks) {
    parts.push(block);
    length += block.length;
    const nl = length < size ? -1 : block.lastIndexOf(10);
    if (nl === -1) continue;
    const end = length - block.length + nl + 1;
    const all = Buffer.concat(parts, length);
    yield copy(all, end);
    parts = end < length ? [all.subarray(end)] : [];
    length -= end;
  }
  if (length) yield copy(Buffer.concat(parts, length), length);
}

function countLineBreaks(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * Worker threads that map chunks, at most two in flight per worker (memory stays bounded by the chunk size);
 * results are handed to `take` in chunk order.
 */
class ChunkPool {
  private readonly workers: { worker: Worker; busy: number }[];
  private readonly results = new Map<number, ChunkResult>();
  private next = 0;
  private sent = 0;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(setups: WorkerSetup[]) {
    this.workers = setups.map((setup) => {
      const entry = { worker: new Worker(new URL('./otelIngestWorker.ts', import.meta.url), { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: 128 } }), busy: 0 };
      entry.worker.on('message', (message: ChunkResult | { failed: { message: string; user: boolean } } | { closed: true }) => {
        if ('closed' in message) return;
        entry.busy--;
        if ('failed' in message) this.fail(message.failed.user ? new UserError(message.failed.message) : new Error(message.failed.message));
        else this.results.set(message.chunk, message);
        this.wake?.();
      });
      entry.worker.on('error', (error) => this.fail(error));
      entry.worker.on('exit', (code) => code !== 0 && this.fail(new Error(`an OpenTelemetry reading thread stopped with code ${code}`)));
      return entry;
    });
  }

  private fail(error: Error) {
    this.failure ??= error;
    this.wake?.();
  }

  /** Hands over the results that are next in order, then waits while every worker has two chunks. */
  private async drain(take: (result: ChunkResult) => Promise<void>, until: () => boolean): Promise<void> {
    for (;;) {
      while (this.results.has(this.next) && !this.failure) {
        const result = this.results.get(this.next)!;
        this.results.delete(this.next++);
        await take(result);
      }
      // Checked just before waiting: a worker may have failed while `take` awaited.
      if (this.failure) throw this.failure;
      if (until()) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  async send(message: ChunkMessage, take: (result: ChunkResult) => Promise<void>): Promise<void> {
    await this.drain(take, () => this.workers.some((w) => w.busy < 2));
    const entry = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    entry.busy++;
    this.sent++;
    entry.worker.postMessage(message, 'bytes' in message ? [message.bytes] : []);
  }

  /** Waits for every chunk sent. */
  finish(take: (result: ChunkResult) => Promise<void>): Promise<void> {
    return this.drain(take, () => this.next === this.sent);
  }

  /** Closes the workers' staging files and stops them. */
  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(async ({ worker }) => {
        if (!this.failure) {
          const closed = new Promise((resolve) => worker.on('message', (m) => 'closed' in m && resolve(undefined)));
          worker.postMessage({ end: true });
          await closed;
        }
        await worker.terminate();
      }),
    );
  }
}
