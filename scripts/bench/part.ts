/**
 * One measured part of a benchmark, run in its own process by common.ts `runPart`:
 * `node scripts/bench/part.ts <name> '<json args>'`. Times the part itself and prints one `BENCH_RESULT {…}`
 * line (seconds, the process's own maximum RSS, and what the part reports).
 *
 * With `BENCH_SQL_TIMING=1` (or `all`), every DuckDB statement run through @duckdb/node-api is timed and the slowest groups are
 * printed (the statement's first line and its seconds): where a part's time goes, without touching src/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RESULT_TAG } from './common.ts';

type Args = Record<string, any>;
type Part = (args: Args) => Promise<Record<string, unknown>>;

const sqlTimings: { sql: string; seconds: number }[] = [];

async function instrumentDuckDb(): Promise<void> {
  const { DuckDBConnection } = await import('@duckdb/node-api');
  const proto = DuckDBConnection.prototype as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  let depth = 0;
  for (const method of ['run', 'runAndReadAll', 'stream']) {
    const original = proto[method];
    proto[method] = async function (this: unknown, ...a: unknown[]) {
      if (depth > 0) return original.apply(this, a);
      depth++;
      const t = performance.now();
      try {
        return await original.apply(this, a);
      } finally {
        depth--;
        const sql = String(a[0]).replace(/\s+/g, ' ').trim();
        sqlTimings.push({ sql: `${method === 'stream' ? '[stream start] ' : ''}${sql}`, seconds: (performance.now() - t) / 1000 });
      }
    };
  }
}

const sqlList = (files: string[]) => `[${files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')}]`;

const parts: Record<string, Part> = {
  /** DuckDB's bare copy of the NDJSON files to one Parquet file (the snapshot reference). */
  async copyReference({ files, out }) {
    const { openDb } = await import('../../src/db/connection.ts');
    const db = await openDb();
    try {
      const t = performance.now();
      await db.run(`COPY (SELECT * FROM read_json(${sqlList(files)})) TO '${out}' (FORMAT parquet)`);
      const seconds = (performance.now() - t) / 1000;
      const [row] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM read_parquet('${out}')`);
      return { $seconds: seconds, rows: row.n, bytes: fs.statSync(out).size };
    } finally {
      db.close();
    }
  },

  /**
   * The floor of the snapshot's job in DuckDB alone, on the NDJSON files: typed read_json (no validation, no
   * quarantine), de-duplication by event_id, conversations placed in the month of their start (UTC), each month
   * written sorted with its rollup. What no implementation of issue 3's contract can skip. `memoryLimit` is
   * DuckDB's cap (none when absent: DuckDB then takes up to 80% of the RAM).
   */
  async snapshotFloor({ files, out, memoryLimit }) {
    const { openDb } = await import('../../src/db/connection.ts');
    const { FIELD_NAMES } = await import('../../src/data/schema.ts');
    const { duckType, CANONICAL_COLUMNS } = await import('../../src/data/columns.ts');
    const { rollupSql } = await import('../../src/data/rollup.ts');
    fs.mkdirSync(out, { recursive: true });
    const db = await openDb({ memoryLimit, tempDirectory: path.join(out, 'duckdb') });
    try {
      const t = performance.now();
      const columns = FIELD_NAMES.map((f) => `${f}: '${duckType(f)}'`).join(', ');
      // rowid is the insertion order, i.e. first seen: cheaper than numbering the rows (a single-threaded window).
      await db.run(`CREATE TABLE staged AS SELECT * FROM read_json(${sqlList(files)}, format = 'newline_delimited', columns = {${columns}})`);
      await db.run(`CREATE TABLE repeated AS SELECT event_id FROM staged GROUP BY event_id HAVING count(*) > 1`);
      await db.run(`DELETE FROM staged WHERE rowid IN (SELECT id FROM (SELECT s.rowid AS id, row_number() OVER (PARTITION BY event_id ORDER BY s.rowid) AS rn FROM staged s SEMI JOIN repeated USING (event_id)) WHERE rn > 1)`);
      await db.run(`CREATE TABLE months AS SELECT conversation_id, strftime(min(ts), '%Y-%m') AS month FROM staged WHERE type <> 'health_check' GROUP BY 1`);
      await db.run(`CREATE TABLE events AS SELECT s.*, m.month FROM staged s JOIN months m USING (conversation_id)`);
      const months = (await db.all<{ month: string }>(`SELECT DISTINCT month FROM events ORDER BY 1`)).map((r) => r.month);
      for (const month of months) {
        await db.run(`COPY (SELECT ${CANONICAL_COLUMNS} FROM events WHERE month = '${month}' ORDER BY conversation_id, ts, event_id) TO '${path.join(out, `events-${month}.parquet`)}' (FORMAT parquet, COMPRESSION zstd)`);
        await db.run(`COPY (SELECT * FROM (${rollupSql(`(SELECT * FROM events WHERE month = '${month}')`)}) ORDER BY start_ts, conversation_id) TO '${path.join(out, `conversations-${month}.parquet`)}' (FORMAT parquet, COMPRESSION zstd)`);
      }
      const seconds = (performance.now() - t) / 1000;
      const [row] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM events`);
      return { $seconds: seconds, rows: row.n, months: months.length };
    } finally {
      db.close();
    }
  },

  /** snapshot() of the inputs into `out`. */
  async snapshot({ inputs, out }) {
    const { snapshot } = await import('../../src/data/snapshot.ts');
    const t = performance.now();
    const r = await snapshot(inputs, { out, timezone: 'UTC' });
    return { $seconds: (performance.now() - t) / 1000, read: r.read, kept: r.kept, duplicates: r.duplicates, quarantined: r.quarantined, rewritten: r.rewrittenMonths };
  },

  /**
   * snapshot() of the inputs read as `from` (`canonical`, `otel`, …) into `out` (bench:adapters), with its time split
   * into phases through the progress callbacks: hashing the inputs (before the first file starts), reading them
   * (read, map, validate, stage: up to the last row count) and the rest (DuckDB merge and Parquet writing); with
   * the largest RSS seen at a row count (every 65,536 rows), i.e. while reading, before DuckDB starts.
   */
  async snapshotFrom({ inputs, out, from }) {
    const { snapshot } = await import('../../src/data/snapshot.ts');
    const { describeStats } = await import('../../src/data/adapters/index.ts');
    let readStart: number | undefined;
    let readEnd: number | undefined;
    let readRss = 0;
    const t = performance.now();
    const r = await snapshot(inputs, {
      out,
      timezone: 'UTC',
      from,
      progress: {
        fileStarted: () => void (readStart ??= performance.now()),
        rows: () => {
          readEnd = performance.now();
          readRss = Math.max(readRss, process.memoryUsage.rss());
        },
        warn: (message) => console.log(`warning: ${message}`),
      },
    });
    const end = performance.now();
    const s = (ms: number) => ms / 1000;
    const a = readStart ?? t;
    const b = readEnd ?? a;
    return {
      $seconds: s(end - t),
      read: r.read,
      kept: r.kept,
      duplicates: r.duplicates,
      quarantined: r.quarantined,
      sources: Object.entries(r.sources).map(([format, stats]) => describeStats(format, stats)),
      phases: { hash: s(a - t), read: s(b - a), merge: s(end - b), readRssMb: readRss / 2 ** 20 },
      totals: r.manifest.totals,
      months: Object.fromEntries(Object.entries(r.manifest.months).map(([m, e]) => [m, { events: e.events, conversations: e.conversations, hash: e.hash }])),
    };
  },

  /** One DuckDB pass reading every snapshot column once (the KPI reference). */
  async readReference({ dir }) {
    const { openDb } = await import('../../src/db/connection.ts');
    const db = await openDb();
    try {
      const t = performance.now();
      const rows: Record<string, unknown>[] = [];
      for (const table of ['events', 'conversations'])
        rows.push(...(await db.all(`SELECT count(*) AS n, sum(hash(COLUMNS(*))) FROM read_parquet('${path.join(dir, table, '*.parquet')}')`)));
      return { $seconds: (performance.now() - t) / 1000, events: rows[0].n, conversations: rows[1].n };
    } finally {
      db.close();
    }
  },

  /** computeResults() of the snapshots with the results cache in `cacheDir`. */
  async kpis({ dir, cacheDir }) {
    const { computeResults } = await import('../../src/kpi/engine.ts');
    const { withDefaults } = await import('../../src/config/schema.ts');
    const config = withDefaults({}, process.cwd());
    const t = performance.now();
    const r = await computeResults(dir, { humanContactCostUsd: config.human_contact_cost_usd, cacheDir });
    const seconds = (performance.now() - t) / 1000;
    const periods = r.cadences.week.length + r.cadences.month.length + r.cadences.quarter.length;
    return { $seconds: seconds, periods, weeks: r.cadences.week.length, months: r.cadences.month.length, quarters: r.cadences.quarter.length };
  },

  /** buildSite() of the snapshots (results cache beside them, see defaultCacheDir). */
  async site({ snapshots, content, out }) {
    const { buildSite } = await import('../../src/site/build.ts');
    const { withDefaults } = await import('../../src/config/schema.ts');
    const t = performance.now();
    const marks: { at: number; line: string }[] = [];
    const r = await buildSite({
      snapshots,
      content,
      out,
      config: withDefaults({}, process.cwd()),
      builtAt: new Date(),
      log: (line) => marks.push({ at: (performance.now() - t) / 1000, line }),
    });
    return { $seconds: (performance.now() - t) / 1000, pages: r.pages, periods: r.periods, marks };
  },

  /** Astro build of a throwaway project in `root` (the site reference). */
  async astro({ root, outDir }) {
    process.env.ASTRO_TELEMETRY_DISABLED = '1';
    const { build } = await import('astro');
    const t = performance.now();
    await build({ root, outDir, logLevel: 'warn', mode: 'production' });
    return { $seconds: (performance.now() - t) / 1000 };
  },
};

const [name, json] = process.argv.slice(2);
const part = parts[name];
if (!part) {
  console.error(`unknown part ${name}; one of ${Object.keys(parts).join(', ')}`);
  process.exit(2);
}
if (process.env.BENCH_SQL_TIMING) await instrumentDuckDb();
const data = await part(JSON.parse(json ?? '{}'));
const seconds = data.$seconds as number;
delete data.$seconds;
if (sqlTimings.length) {
  const total = sqlTimings.reduce((s, x) => s + x.seconds, 0);
  data.sqlSeconds = total;
  // Statements that differ only in their string literals (a month, a file) are summed as one group.
  const groups = new Map<string, { seconds: number; count: number }>();
  for (const x of sqlTimings) {
    const key = x.sql.replace(/'(?:[^']|'')*'/g, "'…'").replace(/\[(?:'…'(?:, )?)+\]/g, '[…]').slice(0, 150);
    const g = groups.get(key) ?? { seconds: 0, count: 0 };
    g.seconds += x.seconds;
    g.count += 1;
    groups.set(key, g);
  }
  const limit = process.env.BENCH_SQL_TIMING === 'all' ? Infinity : 12;
  data.sql = [...groups]
    .sort((a, b) => b[1].seconds - a[1].seconds)
    .slice(0, limit)
    .map(([sql, g]) => ({ seconds: g.seconds, count: g.count, sql }));
}
process.stdout.write(`${RESULT_TAG}${JSON.stringify({ seconds, maxRssKb: process.resourceUsage().maxRSS, data })}\n`);
// DuckDB or Astro may hold handles open; the part is done.
process.exit(0);
