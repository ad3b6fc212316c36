import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';

export type Params = Record<string, DuckDBValue> | DuckDBValue[];
export type Row = Record<string, unknown>;

/** The project's only door to DuckDB: plain JS rows out (counts as numbers, timestamps as epoch ms). */
export interface Db {
  run(sql: string, params?: Params): Promise<void>;
  all<T = Row>(sql: string, params?: Params): Promise<T[]>;
  /** Streams the result in chunks of rows, for results too large to hold at once. */
  chunks<T = Row>(sql: string, params?: Params): AsyncGenerator<T[]>;
  close(): void;
}

export interface DbOptions {
  /** Cap on DuckDB's memory; it spills to `tempDirectory` past it. */
  memoryLimit?: string;
  tempDirectory?: string;
  threads?: number;
}

/** Converts DuckDB's JS values to plain JSON-safe ones: bigint → number, Date → epoch ms. */
export function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.getTime();
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

function plainRow(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const key in row) out[key] = plain(row[key]);
  return out;
}

export async function openDb(options: DbOptions = {}): Promise<Db> {
  const instance = await DuckDBInstance.create(':memory:', {
    ...(options.memoryLimit ? { memory_limit: options.memoryLimit } : {}),
    ...(options.tempDirectory ? { temp_directory: options.tempDirectory } : {}),
    ...(options.threads ? { threads: String(options.threads) } : {}),
  });
  const connection: DuckDBConnection = await instance.connect();
  await connection.run(`SET TimeZone = 'UTC'`);
  return {
    async run(sql, params) {
      await connection.run(sql, params);
    },
    async all<T>(sql: string, params?: Params) {
      const reader = await connection.runAndReadAll(sql, params);
      return reader.getRowObjectsJS().map((row) => plainRow(row as Record<string, unknown>)) as T[];
    },
    async *chunks<T>(sql: string, params?: Params) {
      const result = await connection.stream(sql, params);
      for await (const rows of result.yieldRowObjectJs()) yield rows.map((row) => plainRow(row as Record<string, unknown>)) as T[];
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Quotes a string as an SQL literal, for the few places DuckDB takes no parameter (file paths in COPY). */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
