import fs from 'node:fs';
import { sqlString, type Db } from '../db/connection.ts';
import { CANONICAL_COLUMNS, duckType } from './columns.ts';
import { RecordSink, seqOf, unknownFieldsWarning, type FileOutcome, type IngestJob, type InputStats } from './ingest.ts';
import { ndjsonRecord } from './readers/ndjson.ts';
import { recordLines } from './readers/recordLines.ts';
import { isGzipFile, readFailure } from './readers/source.ts';
import { FIELD_NAMES } from './schema.ts';
import { checkedLinesSql, ndjsonLinesSql } from './sqlValidation.ts';

/**
 * Table `staged`: every row of this run that passed validation, with its first-seen order (`seq`), input (`src`)
 * and ordinal in that input (`pos`). `accepted` is false only for the lines of an NDJSON file the SQL checks left
 * to zod, until they are removed; `unknown` lists the non-canonical keys of such a file's lines (see
 * ingestNdjsonInSql).
 */
export async function createStaged(db: Db): Promise<void> {
  const columns = FIELD_NAMES.map((f) => `${f} ${duckType(f)}`).join(', ');
  await db.run(`CREATE TABLE staged (seq BIGINT, src INTEGER, pos BIGINT, ${columns}, accepted BOOLEAN, unknown VARCHAR[])`);
}

/** A column of a JSON file to read: its name and DuckDB type. */
export type JsonColumn = [name: string, type: string];

/** The canonical fields as staging files hold them (`ts` in epoch ms). */
export const STAGED_FIELDS: JsonColumn[] = FIELD_NAMES.map((f) => [f, f === 'ts' ? 'BIGINT' : duckType(f)]);

/** NDJSON files as a table of `columns`; a table with those columns and no rows when every file is empty. */
export function jsonFilesSql(files: string[], columns: JsonColumn[]): string {
  const nonEmpty = files.filter((file) => fs.statSync(file).size > 0);
  if (!nonEmpty.length) return `(SELECT ${columns.map(([name, type]) => `NULL::${type} AS ${name}`).join(', ')} WHERE false)`;
  return `read_json([${nonEmpty.map(sqlString).join(', ')}], format = 'newline_delimited', columns = {${columns.map(([name, type]) => `${name}: ${sqlString(type)}`).join(', ')}})`;
}

/** Adds the staging files of the zod path (see ingest.ts stagingLine) to `staged`. */
export async function loadStagingFiles(db: Db, files: string[]): Promise<void> {
  const select = FIELD_NAMES.map((f) => (f === 'ts' ? 'epoch_ms(ts)::TIMESTAMPTZ' : f)).join(', ');
  await db.run(`INSERT INTO staged SELECT seq, src, pos, ${select}, true, NULL
    FROM ${jsonFilesSql(files, [['seq', 'BIGINT'], ['src', 'INTEGER'], ['pos', 'BIGINT'], ...STAGED_FIELDS])}`);
}

/**
 * The most lines of one file the SQL may leave to zod: they are held in memory until zod has read them. A file
 * with more (one whose every line is unusual) streams through zod whole, as other formats do.
 */
const MAX_LINES_LEFT = 100_000;

/** Lines checked by one statement: a long file is checked in steps, which is how it shows its progress. */
const LINES_PER_STATEMENT = 1_000_000;

/**
 * Ingests one canonical NDJSON file in DuckDB: the SQL checks (sqlValidation.ts) accept the lines they can,
 * straight into `staged`; the others are read again by the zod path, which stages the valid ones (in the job's
 * staging file, loaded later with the rest) and quarantines the invalid ones with their reason, line and text.
 *
 * Returns undefined when the file should go through the zod path whole instead: DuckDB cannot read it (the zod
 * path then names the problem: truncated gzip, permissions, …), it holds no record, the SQL leaves more than
 * MAX_LINES_LEFT lines, or DuckDB and the NDJSON reader disagree on where its records are (a line of only
 * Unicode spaces, which DuckDB does not count as blank).
 */
export async function ingestNdjsonInSql(
  db: Db,
  job: IngestJob,
  onPercent: (value: number) => void = () => {},
  linesPerStatement = LINES_PER_STATEMENT,
): Promise<FileOutcome | undefined> {
  const { input, src } = job;
  const gzip = isGzipFile(input.path);
  // The lines are read into a table first: its scan is parallel, a row_number() over the reader's is not.
  const lines = `ndjson_lines_${src}`;
  const giveUp = async () => {
    await db.run(`DELETE FROM staged WHERE src = ${src}`);
    return undefined;
  };
  try {
    await db.run(`CREATE TEMP TABLE ${lines} AS ${ndjsonLinesSql(input.path, gzip)}`);
    const [{ n }] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${lines}`);
    for (let from = 0; from < n; from += linesPerStatement) {
      onPercent((100 * from) / n);
      const range = { from, to: from + linesPerStatement };
      await db.run(`INSERT INTO staged SELECT ${seqOf(src, 0)} + ord, ${src}, ord, ${CANONICAL_COLUMNS}, accepted, unknown FROM (${checkedLinesSql(lines, range)})`);
    }
  } catch {
    return await giveUp();
  } finally {
    await db.run(`DROP TABLE IF EXISTS ${lines}`);
  }
  const [{ read, leftCount }] = await db.all<{ read: number; leftCount: number }>(
    `SELECT count(*) AS read, count(*) FILTER (WHERE NOT accepted) AS leftCount FROM staged WHERE src = ${src}`,
  );
  if (read === 0 || leftCount > MAX_LINES_LEFT) return giveUp();
  const left = new Set((await db.all<{ pos: number }>(`SELECT pos FROM staged WHERE src = ${src} AND NOT accepted`)).map((r) => r.pos));
  const unknownFields = new Set(
    (await db.all<{ name: string }>(`SELECT DISTINCT unnest(unknown) AS name FROM staged WHERE src = ${src} AND unknown IS NOT NULL AND accepted`)).map((r) => r.name),
  );
  await db.run(`DELETE FROM staged WHERE src = ${src} AND NOT accepted`);

  const stats: InputStats = { path: input.path, format: input.format, sha256: job.sha256, read, valid: read - left.size, quarantined: 0 };
  const sink = new RecordSink(job, stats);
  try {
    // A gzip file is always scanned: DuckDB reads a truncated stream without a word, zlib does not.
    if (left.size || gzip) {
      const scan = await recordLines(input.path, left).catch((error) => {
        throw readFailure(input.path, error);
      });
      if (scan.count !== read || scan.lines.size !== left.size) return giveUp();
      for (const ordinal of [...left].sort((a, b) => a - b)) {
        const { line, text } = scan.lines.get(ordinal)!;
        await sink.add(ndjsonRecord(text, line, unknownFields), ordinal);
      }
    }
  } finally {
    await sink.close();
  }
  return { stats, warnings: unknownFields.size ? [unknownFieldsWarning(input.path, unknownFields)] : [] };
}

