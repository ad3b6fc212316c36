import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb, sqlString, type Db } from '../db/connection.ts';
import { UserError } from '../errors.ts';
import { siblingTemp, swapInto } from '../fs/atomic.ts';
import { VERSION } from '../version.ts';
import { addStats, emptyStats, type AdaptersConfig, type FromOption, type SourceStats } from './adapters/index.ts';
import { identicalPredicate, CANONICAL_COLUMNS } from './columns.ts';
import { ingest, quarantineEntry, type IngestProgress, type InputStats, type QuarantineEntry } from './ingest.ts';
import { hashFile, resolveInputs, type InputFile } from './inputs.ts';
import {
  conversationsFile,
  eventsFile,
  MANIFEST_FILE,
  QUARANTINE_FILE,
  readManifest,
  type InputEntry,
  type Manifest,
  type MonthEntry,
} from './manifest.ts';
import { readerFor } from './readers/index.ts';
import { ordinalOf } from './readers/source.ts';
import { recordLines } from './readers/recordLines.ts';
import { rollupSql } from './rollup.ts';
import { SCHEMA_VERSION } from './schema.ts';
import { createStaged } from './sqlIngest.ts';
import { periodBoundsSql, periodRange } from '../kpi/periods.ts';

export interface SnapshotOptions {
  out: string;
  timezone: string;
  rebuild?: boolean;
  progress?: IngestProgress;
  /** How inputs are recognised (`--from`; default `canonical`: by extension). */
  from?: FromOption;
  /** The config's `adapters` conventions for platform exports. */
  adapters?: AdaptersConfig;
}

export interface SnapshotReport {
  manifest: Manifest;
  read: number;
  kept: number;
  duplicates: number;
  quarantined: number;
  skippedInputs: string[];
  skippedFiles: string[];
  rewrittenMonths: string[];
  quarantineFile: string;
  /** Per platform format (otel, rasa, copilot-studio) of this run's inputs: the source records read and what became of them. */
  sources: Record<string, SourceStats>;
}

const silent: IngestProgress = { fileStarted() {}, rows() {}, warn() {} };

/**
 * Turns event exports into validated, month-partitioned Parquet snapshots under `options.out`, merging with
 * the snapshots already there. The new state is built beside the old and swapped in by rename, so a failure
 * leaves the folder as it was.
 */
export async function snapshot(inputs: string[], options: SnapshotOptions): Promise<SnapshotReport> {
  const progress = options.progress ?? silent;
  const out = path.resolve(options.out);
  // The run replaces the whole folder: never one that holds something else (`--out data` beside the exports).
  if (fs.existsSync(out) && (!fs.statSync(out).isDirectory() || (!fs.existsSync(path.join(out, MANIFEST_FILE)) && fs.readdirSync(out).length > 0)))
    throw new UserError(`${options.out}: not a snapshot folder (no manifest.json, and not an empty folder); --out names the snapshot folder itself, which each run replaces: choose a new or empty folder`);
  const previous = options.rebuild ? undefined : readManifest(out);
  if (previous && previous.timezone !== options.timezone) {
    throw new UserError(
      `${path.join(options.out, MANIFEST_FILE)}: the snapshots were built in time zone ${previous.timezone}, this run asks for ${options.timezone}; rerun with --rebuild to rebuild them in ${options.timezone}`,
    );
  }
  const skippedFiles: string[] = [];
  const files = resolveInputs(inputs, (file) => skippedFiles.push(file), out, { from: options.from, adapters: options.adapters });
  const known = new Set(previous?.inputs.map((i) => i.sha256));
  const fresh: { input: InputFile; sha256?: string }[] = [];
  const skippedInputs: string[] = [];
  const seen = new Set<string>();
  // An input is hashed first only when it could be one already read: with no inputs in the snapshots yet, a
  // file whose size no other input has is new for sure, and is hashed while it is read (ingest).
  const sizes = files.map((input) => fs.statSync(input.path).size);
  for (const [i, input] of files.entries()) {
    if (!known.size && sizes.indexOf(sizes[i]) === sizes.lastIndexOf(sizes[i])) {
      fresh.push({ input });
      continue;
    }
    const sha256 = await hashFile(input.path);
    if (known.has(sha256) || seen.has(sha256)) skippedInputs.push(input.path);
    else fresh.push({ input, sha256 });
    seen.add(sha256);
  }
  const report: SnapshotReport = {
    manifest: previous!,
    read: 0,
    kept: 0,
    duplicates: 0,
    quarantined: 0,
    skippedInputs,
    skippedFiles,
    rewrittenMonths: [],
    quarantineFile: path.join(options.out, QUARANTINE_FILE),
    sources: {},
  };
  if (fresh.length === 0 && previous) return report;

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-snapshot-'));
  let next = '';
  try {
    next = writing(options.out, () => siblingTemp(out, 'next'));
    const db = await openDb({ memoryLimit: '800MB', tempDirectory: path.join(work, 'duckdb') });
    try {
      await createStaged(db);
      const { stats, quarantineFiles } = await ingest(fresh, work, progress, db);
      for (const s of stats) if (s.source) addStats((report.sources[s.format] ??= emptyStats()), s.source);
      const result = await mergeAndWrite(db, { out, next, previous, timezone: options.timezone, stats });
      const conflicts = await conflictEntries(fresh.map((f) => f.input), result.conflicts);
      writeQuarantine(path.join(next, QUARANTINE_FILE), previous ? path.join(out, QUARANTINE_FILE) : undefined, quarantineFiles, conflicts);
      report.manifest = result.manifest;
      report.rewrittenMonths = result.rewritten;
    } finally {
      db.close();
    }
    writing(options.out, () => swapInto(next, out));
    for (const s of report.manifest.inputs.slice(previous?.inputs.length ?? 0)) {
      report.read += s.read;
      report.kept += s.kept;
      report.duplicates += s.duplicates;
      report.quarantined += s.quarantined;
    }
    return report;
  } catch (error) {
    if (next) fs.rmSync(next, { recursive: true, force: true });
    throw error;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Runs a file-system step on the snapshot folder; its failure (permissions, a file in the way) is the user's to fix. */
function writing<T>(out: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (!err.code) throw error;
    throw new UserError(`${out}: the snapshots cannot be written (${String(err.message).split('\n')[0]}); check that the folder and its parent are writable`);
  }
}

interface MergeInput {
  out: string;
  next: string;
  previous: Manifest | undefined;
  timezone: string;
  stats: InputStats[];
}

interface Conflict {
  src: number;
  pos: number;
  seq: number;
}

/** The canonical columns with the bookkeeping of this run: global first-seen order and source position. */
const ROW_COLUMNS = `seq, src, pos, ${CANONICAL_COLUMNS}`;

/**
 * Loads the new rows, de-duplicates them against each other and the existing snapshots, places every
 * conversation in the month of its start, and writes the months the new rows touch into `next` (the others
 * are carried over as they are). Only the touched months of the old snapshots are read in full; for the rest,
 * only their event ids.
 */
async function mergeAndWrite(db: Db, m: MergeInput): Promise<{ manifest: Manifest; rewritten: string[]; conflicts: Conflict[] }> {
  const oldMonths = Object.keys(m.previous?.months ?? {}).sort();
  const oldFiles = (months: string[]) => `[${months.map((month) => sqlString(eventsFile(m.out, month))).join(', ')}]`;
  const monthOfFile = `regexp_extract(filename, '([0-9]{4}-[0-9]{2})\\.parquet$', 1)`;
  if (oldMonths.length)
    await db.run(`CREATE TABLE old_ids AS SELECT event_id, conversation_id, ${monthOfFile} AS old_month FROM read_parquet(${oldFiles(oldMonths)}, filename = true)`);
  else await db.run(`CREATE TABLE old_ids (event_id VARCHAR, conversation_id VARCHAR, old_month VARCHAR)`);

  // De-duplication looks only at the ids seen more than once: old rows come first, then the run's rows by seq.
  await db.run(`CREATE TABLE repeated AS SELECT event_id FROM (SELECT event_id FROM old_ids UNION ALL SELECT event_id FROM staged) GROUP BY event_id HAVING count(*) > 1`);
  const oldRepeated = oldMonths.length
    ? `SELECT -1::BIGINT AS seq, -1 AS src, -1::BIGINT AS pos, ${CANONICAL_COLUMNS} FROM read_parquet(${oldFiles(oldMonths)}) WHERE event_id IN (SELECT event_id FROM repeated)`
    : `SELECT ${ROW_COLUMNS} FROM staged WHERE false`;
  await db.run(`CREATE TABLE ranked AS
    SELECT *, row_number() OVER (PARTITION BY event_id ORDER BY seq) AS rn FROM (
      ${oldRepeated}
      UNION ALL SELECT ${ROW_COLUMNS} FROM staged WHERE event_id IN (SELECT event_id FROM repeated))`);
  const verdicts = await db.all<{ src: number; pos: number; seq: number; identical: boolean }>(`
    SELECT l.src, l.pos, l.seq, (${identicalPredicate('l', 'k')}) AS identical
    FROM ranked l JOIN ranked k ON l.event_id = k.event_id AND k.rn = 1
    WHERE l.rn > 1 ORDER BY l.seq`);
  // Dropped rows are only marked deleted: the new rows are materialised once, with the old months' rows, in `events`.
  await db.run(`CREATE TABLE dropped AS SELECT seq FROM ranked WHERE rn > 1`);
  await db.run(`DROP TABLE ranked`);
  await db.run(`DELETE FROM staged WHERE seq IN (SELECT seq FROM dropped)`);
  await db.run(`CREATE VIEW fresh AS SELECT ${ROW_COLUMNS} FROM staged`);

  // The old months to rewrite: those of the conversations the new rows extend, and any month a conversation
  // moves into (a late event before its start). Their old rows are read in full and placed again.
  const placed = async (months: string[]) => {
    const rows = `(SELECT ${ROW_COLUMNS} FROM fresh
      ${months.length ? `UNION ALL SELECT -1::BIGINT, -1, -1::BIGINT, ${CANONICAL_COLUMNS} FROM read_parquet(${oldFiles(months)})` : ''})`;
    await placeInMonths(db, rows, m.timezone);
    return (await db.all<{ month: string }>(`SELECT DISTINCT month FROM events ORDER BY month`)).map((r) => r.month);
  };
  let reread = (
    await db.all<{ month: string }>(`SELECT DISTINCT old_month AS month FROM old_ids WHERE conversation_id IN (SELECT conversation_id FROM fresh)`)
  ).map((r) => r.month);
  const withMoves = (await placed(reread)).filter((month) => oldMonths.includes(month));
  if (withMoves.some((month) => !reread.includes(month))) {
    reread = [...new Set([...reread, ...withMoves])].sort();
    await placed(reread);
  }
  const touched = (await db.all<{ month: string }>(`SELECT DISTINCT month FROM events ORDER BY month`)).map((r) => r.month);

  fs.mkdirSync(path.join(m.next, 'events'), { recursive: true });
  fs.mkdirSync(path.join(m.next, 'conversations'), { recursive: true });
  const months: Record<string, MonthEntry> = {};
  for (const month of oldMonths) {
    // A re-read month is written again from `events`, or left out when all its conversations moved away.
    if (touched.includes(month) || reread.includes(month)) continue;
    keepFile(eventsFile(m.out, month), eventsFile(m.next, month));
    keepFile(conversationsFile(m.out, month), conversationsFile(m.next, month));
    const old = m.previous!.months[month];
    // Manifests of kpi-review 0.1.0 before spans were recorded: read the month's span from its file once.
    months[month] = old.span ? old : { ...old, span: await fileSpan(db, eventsFile(m.out, month)) };
  }
  const summaries = await monthSummaries(db);
  const newInputsByMonth = new Map<string, number[]>();
  for (const r of await db.all<{ month: string; src: number }>(`SELECT DISTINCT month, src FROM events WHERE seq >= 0 ORDER BY month, src`)) {
    newInputsByMonth.set(r.month, [...(newInputsByMonth.get(r.month) ?? []), r.src]);
  }
  for (const month of touched) {
    const monthParam = sqlString(month);
    await db.run(`COPY (SELECT ${CANONICAL_COLUMNS} FROM events WHERE month = ${monthParam}
        ORDER BY conversation_id NULLS LAST, ts, event_id)
      TO ${sqlString(eventsFile(m.next, month))} (FORMAT parquet, COMPRESSION zstd)`);
    await db.run(`COPY (SELECT *, ${monthParam} AS month FROM (${rollupSql(`(SELECT * FROM events WHERE month = ${monthParam})`)}) ORDER BY start_ts, conversation_id)
      TO ${sqlString(conversationsFile(m.next, month))} (FORMAT parquet, COMPRESSION zstd)`);
    const old = m.previous?.months[month];
    const inputs = new Map((old?.inputs ?? []).map((i) => [i.sha256, i]));
    for (const src of newInputsByMonth.get(month) ?? []) inputs.set(m.stats[src].sha256, { path: m.stats[src].path, sha256: m.stats[src].sha256 });
    months[month] = {
      ...summaries.get(month)!,
      hash: hashFiles([eventsFile(m.next, month), conversationsFile(m.next, month)]),
      inputs: [...inputs.values()],
    };
  }

  const perInput = await db.all<{ src: number; type: string; n: number }>(`SELECT src, type, count(*)::INTEGER AS n FROM events WHERE seq >= 0 GROUP BY ALL ORDER BY src, type`);
  const conflicts: Conflict[] = verdicts.filter((v) => !v.identical);
  const newInputs: InputEntry[] = m.stats.map((s, src) => {
    const duplicates = verdicts.filter((v) => v.src === src && v.identical).length;
    const conflicted = conflicts.filter((v) => v.src === src).length;
    return {
      path: s.path,
      sha256: s.sha256,
      format: s.format,
      read: s.read,
      kept: s.valid - duplicates - conflicted,
      duplicates,
      quarantined: s.quarantined + conflicted,
      event_types: Object.fromEntries(perInput.filter((r) => r.src === src).map((r) => [r.type, r.n])),
      ...(s.source ? { source: s.source } : {}),
    };
  });
  const ordered = Object.fromEntries(Object.keys(months).sort().map((month) => [month, months[month]]));
  const manifest = manifestOf(ordered, [...(m.previous?.inputs ?? []), ...newInputs], m.timezone);
  fs.writeFileSync(path.join(m.next, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return { manifest, rewritten: touched, conflicts };
}

/**
 * Table `events`: the rows of `rows`, each with the month (report time zone) its conversation started in, or for
 * a health check the month of its own time. Left unordered: each month's copy sorts its own rows, which is
 * cheaper than ordering all of them here.
 */
async function placeInMonths(db: Db, rows: string, timezone: string): Promise<void> {
  const [span] = await db.all<{ first: number | null; last: number | null }>(`SELECT min(ts) AS first, max(ts) AS last FROM ${rows}`);
  const bounds = span.first === null ? `(SELECT NULL::VARCHAR AS label, NULL::TIMESTAMPTZ AS start_ts)` : periodBoundsSql(periodRange(span.first, span.last!, 'month', timezone));
  await db.run(`CREATE OR REPLACE TABLE conversation_months AS
    WITH starts AS (SELECT conversation_id, min(ts) AS start_ts FROM ${rows} WHERE type <> 'health_check' GROUP BY 1)
    SELECT s.conversation_id, b.label AS month FROM starts s ASOF JOIN ${bounds} b ON s.start_ts >= b.start_ts`);
  await db.run(`CREATE OR REPLACE TABLE events AS
    SELECT k.*, c.month FROM ${rows} k JOIN conversation_months c USING (conversation_id) WHERE k.type <> 'health_check'
    UNION ALL BY NAME
    SELECT h.*, b.label AS month FROM (SELECT * FROM ${rows} WHERE type = 'health_check') h ASOF JOIN ${bounds} b ON h.ts >= b.start_ts`);
}

type MonthSummary = Omit<MonthEntry, 'hash' | 'inputs'>;

/**
 * Per month of `rows` (which have a `month` column): its first and last event, and its first and last start (a
 * conversation's first event, or a health check), from one pass over its conversations and health checks.
 */
function monthSpansSql(rows: string): string {
  return `
    WITH units AS (
      SELECT month, min(ts) AS start, max(ts) AS last FROM ${rows} WHERE type <> 'health_check' GROUP BY month, conversation_id
      UNION ALL SELECT month, ts, ts FROM ${rows} WHERE type = 'health_check')
    SELECT month, min(start) AS first_ts, max(last) AS last_ts, min(start) AS first_start, max(start) AS last_start FROM units GROUP BY month`;
}

/** The span of one month's events file (as monthSummaries computes it for the months a run writes). */
async function fileSpan(db: Db, file: string): Promise<MonthEntry['span']> {
  const [{ first_ts, last_ts, first_start, last_start }] = await db.all<MonthEntry['span']>(monthSpansSql(`(SELECT *, '' AS month FROM read_parquet(${sqlString(file)}))`));
  return { first_ts, last_ts, first_start, last_start };
}

/** Counts, event types and time span of every month in `events`. */
async function monthSummaries(db: Db): Promise<Map<string, MonthSummary>> {
  const rows = await db.all<{ month: string; events: number; conversations: number; health_checks: number; first_ts: number; last_ts: number; first_start: number; last_start: number }>(`
    SELECT e.*, s.first_ts, s.last_ts, s.first_start, s.last_start FROM (
      SELECT month, count(*)::INTEGER AS events, count(DISTINCT conversation_id)::INTEGER AS conversations,
             count(*) FILTER (WHERE type = 'health_check')::INTEGER AS health_checks
      FROM events GROUP BY month) e
    JOIN (${monthSpansSql('events')}) s USING (month)`);
  const types = await db.all<{ month: string; type: string; n: number }>(`SELECT month, type, count(*)::INTEGER AS n FROM events GROUP BY month, type ORDER BY month, type`);
  return new Map(
    rows.map(({ month, first_ts, last_ts, first_start, last_start, ...counts }) => [
      month,
      {
        ...counts,
        event_types: Object.fromEntries(types.filter((t) => t.month === month).map((t) => [t.type, t.n])),
        span: { first_ts, last_ts, first_start, last_start },
      },
    ]),
  );
}

/** The manifest of a set of months and inputs; totals and ranges are folded from the months. */
function manifestOf(months: Record<string, MonthEntry>, inputs: InputEntry[], timezone: string): Manifest {
  const entries = Object.values(months);
  const iso = (ms: number) => new Date(ms).toISOString();
  const fold = (pick: (e: MonthEntry) => number, pickBest: (...values: number[]) => number) => (entries.length ? iso(pickBest(...entries.map(pick))) : null);
  const sum = (pick: (e: MonthEntry) => number) => entries.reduce((n, e) => n + pick(e), 0);
  return {
    schema_version: SCHEMA_VERSION,
    kpi_review_version: VERSION,
    timezone,
    earliest_ts: fold((e) => e.span.first_ts, Math.min),
    latest_ts: fold((e) => e.span.last_ts, Math.max),
    period_range: entries.length ? { first_ts: fold((e) => e.span.first_start, Math.min)!, last_ts: fold((e) => e.span.last_start, Math.max)! } : null,
    totals: {
      events: sum((e) => e.events),
      conversations: sum((e) => e.conversations),
      health_checks: sum((e) => e.health_checks),
      quarantined: inputs.reduce((n, e) => n + e.quarantined, 0),
    },
    months,
    inputs,
  };
}

/** Carries an unchanged month's file into the new state as the same file (a hard link), so it keeps its mtime. */
function keepFile(from: string, to: string): void {
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
    const stat = fs.statSync(from);
    fs.utimesSync(to, stat.atime, stat.mtime);
  }
}

function hashFiles(files: string[]): string {
  const hash = crypto.createHash('sha256');
  for (const file of files) hash.update(fs.readFileSync(file));
  return hash.digest('hex');
}

/** Conflicting rows, re-read from their inputs (by their ordinal, `pos`) so the quarantine keeps them as they were written. */
async function conflictEntries(inputs: InputFile[], conflicts: Conflict[]): Promise<QuarantineEntry[]> {
  const reason = 'event_id: duplicate with different content';
  const bySource = new Map<number, Set<number>>();
  for (const c of conflicts) bySource.set(c.src, (bySource.get(c.src) ?? new Set()).add(c.pos));
  const found = new Map<string, QuarantineEntry>();
  for (const [src, ordinals] of bySource) {
    const input = inputs[src];
    if (input.format === 'ndjson') {
      // A byte scan finds an NDJSON file's lines without parsing every one.
      const { lines } = await recordLines(input.path, ordinals);
      for (const [ordinal, { line, text }] of lines) found.set(`${src}:${ordinal}`, quarantineEntry(input.path, { position: line, positionKind: 'line', raw: text }, reason));
      continue;
    }
    let read = 0;
    for await (const record of readerFor(input).records()) {
      const ordinal = ordinalOf(record, ++read);
      if (ordinals.has(ordinal)) found.set(`${src}:${ordinal}`, quarantineEntry(input.path, record, reason));
    }
  }
  return conflicts.map((c) => found.get(`${c.src}:${c.pos}`)!);
}

/** The quarantine: the earlier runs' rows, then this run's schema failures by input, then its conflicts. */
function writeQuarantine(file: string, previous: string | undefined, schemaFailures: string[], conflicts: QuarantineEntry[]): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (const part of [...(previous && fs.existsSync(previous) ? [previous] : []), ...schemaFailures]) fs.writeSync(fd, fs.readFileSync(part));
    if (conflicts.length) fs.writeSync(fd, conflicts.map((c) => JSON.stringify(c)).join('\n') + '\n');
  } finally {
    fs.closeSync(fd);
  }
}
