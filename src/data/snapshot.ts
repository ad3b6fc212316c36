import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb, sqlString, type Db } from '../db/connection.ts';
import { UserError } from '../errors.ts';
import { siblingTemp, swapInto } from '../fs/atomic.ts';
import { VERSION } from '../version.ts';
import { addStats, emptyStats, type AdaptersConfig, type FromOption, type SourceStats } from './adapters/index.ts';
import { identicalPredicate, stagingColumns, stagingSelect, CANONICAL_COLUMNS } from './columns.ts';
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
import { rollupSql } from './rollup.ts';
import { SCHEMA_VERSION } from './schema.ts';
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
  const fresh: { input: InputFile; sha256: string }[] = [];
  const skippedInputs: string[] = [];
  const seen = new Set<string>();
  for (const input of files) {
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
    const staging = path.join(work, 'staging.ndjson');
    const schemaQuarantine = path.join(work, 'quarantine.ndjson');
    const stats = await ingest(fresh, staging, schemaQuarantine, progress);
    for (const s of stats) if (s.source) addStats((report.sources[s.format] ??= emptyStats()), s.source);
    const db = await openDb({ memoryLimit: '2GB', tempDirectory: path.join(work, 'duckdb') });
    try {
      const result = await mergeAndWrite(db, { out, next, staging, previous, timezone: options.timezone, stats });
      const conflicts = await conflictEntries(fresh.map((f) => f.input), result.conflicts);
      writeQuarantine(path.join(next, QUARANTINE_FILE), previous ? path.join(out, QUARANTINE_FILE) : undefined, schemaQuarantine, conflicts);
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
  staging: string;
  previous: Manifest | undefined;
  timezone: string;
  stats: InputStats[];
}

interface Conflict {
  src: number;
  pos: number;
  seq: number;
}

async function mergeAndWrite(db: Db, m: MergeInput): Promise<{ manifest: Manifest; rewritten: string[]; conflicts: Conflict[] }> {
  await db.run(`CREATE TABLE staged AS SELECT seq, src, pos, ${stagingSelect()}
    FROM read_json(${sqlString(m.staging)}, format = 'newline_delimited', columns = ${stagingColumns()})`);
  const oldMonths = Object.keys(m.previous?.months ?? {});
  if (oldMonths.length) {
    const files = oldMonths.map((month) => sqlString(eventsFile(m.out, month)));
    await db.run(`CREATE TABLE old AS SELECT ${CANONICAL_COLUMNS}, regexp_extract(filename, '([0-9]{4}-[0-9]{2})\\.parquet$', 1) AS old_month
      FROM read_parquet([${files.join(', ')}], filename = true)`);
  } else {
    await db.run(`CREATE TABLE old AS SELECT ${CANONICAL_COLUMNS}, NULL::VARCHAR AS old_month FROM staged WHERE false`);
  }
  await db.run(`CREATE TABLE ranked AS
    SELECT *, row_number() OVER (PARTITION BY event_id ORDER BY seq) AS rn FROM (
      SELECT -1::BIGINT AS seq, -1 AS src, -1::BIGINT AS pos, ${CANONICAL_COLUMNS} FROM old
      UNION ALL SELECT seq, src, pos, ${CANONICAL_COLUMNS} FROM staged)`);
  const verdicts = await db.all<{ src: number; pos: number; seq: number; identical: boolean }>(`
    SELECT l.src, l.pos, l.seq, (${identicalPredicate('l', 'k')}) AS identical
    FROM ranked l JOIN ranked k ON l.event_id = k.event_id AND k.rn = 1
    WHERE l.rn > 1 ORDER BY l.seq`);
  await db.run(`CREATE TABLE kept AS SELECT * EXCLUDE (rn) FROM ranked WHERE rn = 1`);
  await db.run(`DROP TABLE ranked`);
  const [span] = await db.all<{ first: number | null; last: number | null }>(`SELECT min(ts) AS first, max(ts) AS last FROM kept`);
  const bounds = span.first === null ? `(SELECT NULL::VARCHAR AS label, NULL::TIMESTAMPTZ AS start_ts)` : periodBoundsSql(periodRange(span.first, span.last!, 'month', m.timezone));
  await db.run(`CREATE TABLE events AS
    WITH starts AS (SELECT conversation_id, min(ts) AS start_ts FROM kept WHERE type <> 'health_check' GROUP BY 1),
    conversation_months AS (SELECT s.conversation_id, b.label AS month FROM starts s ASOF JOIN ${bounds} b ON s.start_ts >= b.start_ts)
    SELECT k.*, c.month FROM kept k JOIN conversation_months c USING (conversation_id) WHERE k.type <> 'health_check'
    UNION ALL BY NAME
    SELECT h.*, b.label AS month FROM (SELECT * FROM kept WHERE type = 'health_check') h ASOF JOIN ${bounds} b ON h.ts >= b.start_ts`);
  await db.run(`DROP TABLE kept`);

  const allMonths = (await db.all<{ month: string }>(`SELECT DISTINCT month FROM events ORDER BY month`)).map((r) => r.month);
  const touched = new Set(
    (
      await db.all<{ month: string }>(`
        SELECT DISTINCT month FROM events WHERE seq >= 0
        UNION SELECT DISTINCT o.old_month FROM old o
          WHERE o.conversation_id IN (SELECT conversation_id FROM events WHERE seq >= 0 AND conversation_id IS NOT NULL)`)
    ).map((r) => r.month),
  );
  fs.mkdirSync(path.join(m.next, 'events'), { recursive: true });
  fs.mkdirSync(path.join(m.next, 'conversations'), { recursive: true });
  const months: Record<string, MonthEntry> = {};
  const rewritten: string[] = [];
  const newInputsByMonth = new Map<string, number[]>();
  for (const r of await db.all<{ month: string; src: number }>(`SELECT DISTINCT month, src FROM events WHERE seq >= 0 ORDER BY month, src`)) {
    newInputsByMonth.set(r.month, [...(newInputsByMonth.get(r.month) ?? []), r.src]);
  }
  for (const month of allMonths) {
    const old = m.previous?.months[month];
    if (old && !touched.has(month)) {
      keepFile(eventsFile(m.out, month), eventsFile(m.next, month));
      keepFile(conversationsFile(m.out, month), conversationsFile(m.next, month));
      months[month] = old;
      continue;
    }
    rewritten.push(month);
    const monthParam = sqlString(month);
    await db.run(`COPY (SELECT ${CANONICAL_COLUMNS} FROM events WHERE month = ${monthParam}
        ORDER BY conversation_id NULLS LAST, ts, event_id)
      TO ${sqlString(eventsFile(m.next, month))} (FORMAT parquet, COMPRESSION zstd)`);
    // The rollup reads the month's sorted file in one thread: parallel sums of DOUBLE (cost_usd) depend on how
    // rows are split between threads, and the snapshots must be byte-identical on every run.
    const [{ threads }] = await db.all<{ threads: number }>(`SELECT current_setting('threads')::INTEGER AS threads`);
    await db.run(`SET threads = 1`);
    try {
      await db.run(`COPY (SELECT *, ${monthParam} AS month FROM (${rollupSql(`read_parquet(${sqlString(eventsFile(m.next, month))})`)}) ORDER BY start_ts, conversation_id)
        TO ${sqlString(conversationsFile(m.next, month))} (FORMAT parquet, COMPRESSION zstd)`);
    } finally {
      await db.run(`SET threads = ${threads}`);
    }
    const [counts] = await db.all<{ events: number; conversations: number; health_checks: number }>(`
      SELECT count(*)::INTEGER AS events, count(DISTINCT conversation_id)::INTEGER AS conversations,
             count(*) FILTER (WHERE type = 'health_check')::INTEGER AS health_checks
      FROM events WHERE month = ${monthParam}`);
    const types = await db.all<{ type: string; n: number }>(`SELECT type, count(*)::INTEGER AS n FROM events WHERE month = ${monthParam} GROUP BY type ORDER BY type`);
    const inputs = new Map((old?.inputs ?? []).map((i) => [i.sha256, i]));
    for (const src of newInputsByMonth.get(month) ?? []) inputs.set(m.stats[src].sha256, { path: m.stats[src].path, sha256: m.stats[src].sha256 });
    months[month] = {
      ...counts,
      hash: hashFiles([eventsFile(m.next, month), conversationsFile(m.next, month)]),
      event_types: Object.fromEntries(types.map((t) => [t.type, t.n])),
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
  const [range] = await db.all<{ earliest: number | null; latest: number | null; first_start: number | null; last_start: number | null }>(`
    WITH starts AS (SELECT min(ts) AS t FROM events WHERE type <> 'health_check' GROUP BY conversation_id
                    UNION ALL SELECT ts FROM events WHERE type = 'health_check')
    SELECT (SELECT min(ts) FROM events) AS earliest, (SELECT max(ts) FROM events) AS latest,
           (SELECT min(t) FROM starts) AS first_start, (SELECT max(t) FROM starts) AS last_start`);
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const inputs = [...(m.previous?.inputs ?? []), ...newInputs];
  const monthValues = Object.values(months);
  const manifest: Manifest = {
    schema_version: SCHEMA_VERSION,
    kpi_review_version: VERSION,
    timezone: m.timezone,
    earliest_ts: iso(range.earliest),
    latest_ts: iso(range.latest),
    period_range: range.first_start === null ? null : { first_ts: iso(range.first_start)!, last_ts: iso(range.last_start)! },
    totals: {
      events: monthValues.reduce((n, e) => n + e.events, 0),
      conversations: monthValues.reduce((n, e) => n + e.conversations, 0),
      health_checks: monthValues.reduce((n, e) => n + e.health_checks, 0),
      quarantined: inputs.reduce((n, e) => n + e.quarantined, 0),
    },
    months,
    inputs,
  };
  fs.writeFileSync(path.join(m.next, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return { manifest, rewritten, conflicts };
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

/** Conflicting rows, re-read from their inputs so the quarantine keeps them as they were written. */
async function conflictEntries(inputs: InputFile[], conflicts: Conflict[]): Promise<QuarantineEntry[]> {
  const entries: QuarantineEntry[] = [];
  const bySource = new Map<number, Set<number>>();
  for (const c of conflicts) bySource.set(c.src, (bySource.get(c.src) ?? new Set()).add(c.pos));
  const found = new Map<string, QuarantineEntry>();
  for (const [src, positions] of bySource) {
    for await (const record of readerFor(inputs[src]).records()) {
      if (positions.has(record.position))
        found.set(`${src}:${record.position}`, quarantineEntry(inputs[src].path, record, 'event_id: duplicate with different content'));
    }
  }
  for (const c of conflicts) entries.push(found.get(`${c.src}:${c.pos}`)!);
  return entries;
}

function writeQuarantine(file: string, previous: string | undefined, schemaFailures: string, conflicts: QuarantineEntry[]): void {
  const parts: Buffer[] = [];
  if (previous && fs.existsSync(previous)) parts.push(fs.readFileSync(previous));
  parts.push(fs.readFileSync(schemaFailures));
  if (conflicts.length) parts.push(Buffer.from(conflicts.map((c) => JSON.stringify(c)).join('\n') + '\n'));
  fs.writeFileSync(file, Buffer.concat(parts));
}
