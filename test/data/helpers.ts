import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { openDb, sqlString } from '../../src/db/connection.ts';
import { FIELD_NAMES } from '../../src/data/schema.ts';

/** The project root (tests run with it as the working folder, but do not rely on that). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const made: string[] = [];
/** Removes the folders made by tmpDir; each test file calls it in afterAll. */
export function cleanup(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** A fresh temporary folder, removed by cleanup(). */
export function tmpDir(tag = 'data'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kpi-${tag}-`));
  made.push(dir);
  return dir;
}

export type Row = Record<string, unknown>;

/** A valid event of the given type with the fields its type requires; `extra` overrides or adds fields. */
export function ev(event_id: string, ts: unknown, type: string, extra: Row = {}): Row {
  const base: Row = { event_id, ts, type };
  if (type !== 'health_check') base.conversation_id = 'c1';
  if (['task', 'tool_call', 'retrieval', 'review', 'health_check'].includes(type)) base.success = true;
  if (['task', 'tool_call', 'error', 'goal'].includes(type)) base.name = 'lookup';
  if (type === 'feedback') Object.assign(base, { score: 1, scale_max: 1 });
  return { ...base, ...extra };
}

export function writeFile(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

/** NDJSON text of rows (objects are stringified, strings are written as they are). */
export const ndjson = (rows: (Row | string)[]): string => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

/** An RFC 4180 cell: quoted when it holds a comma, a quote or a line break. */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** CSV text with a header of `columns` (default: every canonical field) and one row per object. */
export function csv(rows: Row[], columns: string[] = FIELD_NAMES, eol = '\n'): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join(eol) + eol;
}

/**
 * A Parquet export of rows with typed columns (ts as TIMESTAMPTZ from an RFC 3339 string), written by DuckDB
 * through read_json so that every canonical field has its real column type.
 */
export async function writeParquet(file: string, rows: Row[]): Promise<string> {
  const json = `${file}.src.ndjson`;
  fs.writeFileSync(json, ndjson(rows));
  const types: Record<string, string> = {
    ts: 'TIMESTAMPTZ',
    latency_ms: 'DOUBLE',
    tokens_in: 'BIGINT',
    tokens_out: 'BIGINT',
    cost_usd: 'DOUBLE',
    fallback: 'BOOLEAN',
    correction: 'BOOLEAN',
    success: 'BOOLEAN',
    score: 'DOUBLE',
    scale_max: 'DOUBLE',
  };
  const columns = `{${FIELD_NAMES.map((f) => `${f}: ${sqlString(types[f] ?? 'VARCHAR')}`).join(', ')}}`;
  const db = await openDb({ threads: 1 });
  try {
    await db.run(`COPY (SELECT * FROM read_json(${sqlString(json)}, format = 'newline_delimited', columns = ${columns}))
      TO ${sqlString(file)} (FORMAT parquet)`);
  } finally {
    db.close();
    fs.rmSync(json);
  }
  return file;
}

export const gzip = (file: string, to = `${file}.gz`): string => {
  fs.writeFileSync(to, zlib.gzipSync(fs.readFileSync(file)));
  return to;
};

/** Every event of a snapshot folder's month files, as plain rows (ts in epoch ms) with the file's month. */
export async function readEvents(out: string): Promise<Row[]> {
  const dir = path.join(out, 'events');
  if (!fs.existsSync(dir) || fs.readdirSync(dir).length === 0) return [];
  const db = await openDb({ threads: 1 });
  try {
    return await db.all(`SELECT * EXCLUDE (filename), regexp_extract(filename, '([0-9]{4}-[0-9]{2})\\.parquet$', 1) AS month
      FROM read_parquet(${sqlString(path.join(dir, '*.parquet'))}, filename = true) ORDER BY event_id`);
  } finally {
    db.close();
  }
}

export async function readConversations(out: string): Promise<Row[]> {
  const db = await openDb({ threads: 1 });
  try {
    return await db.all(`SELECT * FROM read_parquet(${sqlString(path.join(out, 'conversations', '*.parquet'))}) ORDER BY conversation_id`);
  } finally {
    db.close();
  }
}

export const readQuarantine = (out: string): Row[] =>
  fs
    .readFileSync(path.join(out, 'quarantine.ndjson'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

export const readManifestJson = (out: string) => JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'));

/** Relative path → sha256 of every file below `dir` (hidden ones too), for "nothing changed" checks. */
export function treeHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else out[child] = crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, child))).digest('hex');
    }
  };
  walk('');
  return out;
}

/** The Parquet files of a snapshot folder (relative path → bytes' sha256). */
export const parquetHashes = (out: string) => Object.fromEntries(Object.entries(treeHashes(out)).filter(([file]) => file.endsWith('.parquet')));
