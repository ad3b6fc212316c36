import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { openDb, sqlString } from '../../db/connection.ts';
import { FIELD_NAMES } from '../schema.ts';
import { isGzipFile, openInput, readFailure, withoutMissing, type RecordReader, type SourceRecord } from './source.ts';

const KNOWN = new Set<string>(FIELD_NAMES);

/** Canonical events as Parquet (one file of a Hive-partitioned folder at a time); timestamp columns are taken as they are. */
export function parquetReader(file: string): RecordReader {
  const unknownFields = new Set<string>();
  return {
    unknownFields,
    async *records(): AsyncGenerator<SourceRecord> {
      let source = file;
      let tmp: string | undefined;
      if (isGzipFile(file)) {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-parquet-'));
        source = path.join(tmp, 'input.parquet');
        await pipeline(openInput(file), fs.createWriteStream(source)).catch((error) => {
          throw readFailure(file, error);
        });
      }
      const db = await openDb({ threads: 1 });
      try {
        const sql = `SELECT * FROM read_parquet(${sqlString(source)}, hive_partitioning = true, file_row_number = true) ORDER BY file_row_number`;
        let chunks: AsyncGenerator<Record<string, unknown>[]>;
        try {
          chunks = db.chunks(sql);
        } catch (error) {
          throw readFailure(file, error);
        }
        for await (const rows of chunks) {
          for (const row of rows) {
            const position = Number(row.file_row_number) + 1;
            delete row.file_row_number;
            yield { position, positionKind: 'row', raw: row, values: withoutMissing(row, KNOWN, unknownFields) };
          }
        }
      } catch (error) {
        if ((error as Error).name === 'UserError') throw error;
        throw readFailure(file, error);
      } finally {
        db.close();
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
      }
    },
  };
}
