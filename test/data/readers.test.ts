import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveInputs, formatOf } from '../../src/data/inputs.ts';
import { csvReader } from '../../src/data/readers/csv.ts';
import { ndjsonReader } from '../../src/data/readers/ndjson.ts';
import { parquetReader } from '../../src/data/readers/parquet.ts';
import type { RecordReader, SourceRecord } from '../../src/data/readers/source.ts';
import { UserError } from '../../src/errors.ts';
import { cleanup, csv, ev, ndjson, tmpDir, writeFile, writeParquet } from './helpers.ts';

afterAll(cleanup);

async function all(reader: RecordReader): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const record of reader.records()) out.push(record);
  return out;
}
const TS = '2026-05-03T10:15:00Z';

describe('NDJSON reader', () => {
  it('skips blank lines without counting them, and numbers records by file line', async () => {
    const dir = tmpDir();
    const file = writeFile(dir, 'a.ndjson', `\uFEFF${JSON.stringify(ev('e1', TS, 'resolved'))}\r\n\r\n   \n\t\n${JSON.stringify(ev('e2', TS, 'resolved'))}`);
    const records = await all(ndjsonReader(file));
    expect(records.map((r) => [r.position, r.values?.event_id])).toEqual([
      [1, 'e1'],
      [5, 'e2'],
    ]);
  });

  it('rejects a line that is not a JSON object, keeping it verbatim', async () => {
    const dir = tmpDir();
    const lines = ['[1,2]', '42', 'null', '"text"', '{"event_id":"e9","ts":"2026-03-18T0'];
    const records = await all(ndjsonReader(writeFile(dir, 'a.ndjson', ndjson(lines))));
    expect(records.map((r) => r.raw)).toEqual(lines);
    expect(records.slice(0, 4).every((r) => r.error === 'row: not a JSON object')).toBe(true);
    expect(records[4].error).toMatch(/^row: not a JSON object \(/);
  });

  it('removes missing values and collects unknown field names', async () => {
    const dir = tmpDir();
    const reader = ndjsonReader(writeFile(dir, 'a.ndjson', ndjson([{ ...ev('e1', TS, 'resolved'), channel: '', intent: null, export_batch: 3 }])));
    const [record] = await all(reader);
    expect(record.values).toEqual(ev('e1', TS, 'resolved'));
    expect([...reader.unknownFields]).toEqual(['export_batch']);
  });

  it('reads gzip-compressed files whatever their name', async () => {
    const dir = tmpDir();
    const file = writeFile(dir, 'a.ndjson', zlib.gzipSync(ndjson([ev('e1', TS, 'resolved')])));
    expect((await all(ndjsonReader(file)))[0].values?.event_id).toBe('e1');
  });
});

describe('CSV reader', () => {
  const header = 'event_id,ts,conversation_id,type,text,latency_ms,fallback';

  it('reads quoted cells spanning lines, numbered by the line they start on', async () => {
    const dir = tmpDir();
    const text = [header, 'e1,2026-05-03T10:15:00Z,c1,user_message,"two\nlines, ""quoted""",,', '', 'e2,2026-05-03T10:15:00Z,c1,bot_message,"a\n\nb",12.5,TRUE', ''].join('\n');
    const records = await all(csvReader(writeFile(dir, 'a.csv', text)));
    expect(records.map((r) => [r.position, r.values])).toEqual([
      [2, { event_id: 'e1', ts: TS, conversation_id: 'c1', type: 'user_message', text: 'two\nlines, "quoted"' }],
      [5, { event_id: 'e2', ts: TS, conversation_id: 'c1', type: 'bot_message', text: 'a\n\nb', latency_ms: 12.5, fallback: true }],
    ]);
  });

  it('keeps a CRLF inside a quoted cell as written, in a CRLF file', async () => {
    const dir = tmpDir();
    const text = `${header}\r\ne1,${TS},c1,user_message,"one\r\ntwo\nthree",,\r\n`;
    const [record] = await all(csvReader(writeFile(dir, 'a.csv', text)));
    expect(record.values?.text).toBe('one\r\ntwo\nthree');
  });

  it('ignores blank lines, strips a BOM and never trims cells', async () => {
    const dir = tmpDir();
    const text = `\uFEFF${header}\n\n  \ne1,${TS},c1, user_message , hi , 12,true\n`;
    const [record] = await all(csvReader(writeFile(dir, 'a.csv', text)));
    expect(record.position).toBe(4);
    expect(record.values).toEqual({ event_id: 'e1', ts: TS, conversation_id: 'c1', type: ' user_message ', text: ' hi ', latency_ms: ' 12', fallback: true });
  });

  it('rejects a row with more or fewer cells than the header', async () => {
    const dir = tmpDir();
    const text = `${header}\ne1,${TS},c1,resolved,,,,extra\ne2,${TS}\n`;
    const records = await all(csvReader(writeFile(dir, 'a.csv', text)));
    expect(records.map((r) => [r.position, r.error])).toEqual([
      [2, 'row: 8 cells where the header has 7'],
      [3, 'row: 2 cells where the header has 7'],
    ]);
    expect(records[0].raw).toEqual(['e1', TS, 'c1', 'resolved', '', '', '', 'extra']);
  });

  it('rejects a quoted cell that is never closed', async () => {
    const dir = tmpDir();
    const text = `${header}\ne1,${TS},c1,resolved,,,\ne2,${TS},c1,user_message,"no end,,\nmore\n`;
    const records = await all(csvReader(writeFile(dir, 'a.csv', text)));
    expect(records.map((r) => [r.position, r.error])).toEqual([
      [2, undefined],
      [3, 'row: a quoted cell is never closed (truncated file?)'],
    ]);
  });

  it('needs event_id, ts and type in the header: an error for the whole file', async () => {
    const dir = tmpDir();
    const file = writeFile(dir, 'a.csv', csv([ev('e1', TS, 'resolved')], ['event_id', 'timestamp', 'conversation_id', 'kind']));
    const error = await all(csvReader(file)).catch((e) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      `${file}: line 1: CSV header lacks the required columns ts, type; the first row must name the fields (event_id,ts,type,…)`,
    );
  });

  it('collects unknown columns', async () => {
    const dir = tmpDir();
    const reader = csvReader(writeFile(dir, 'a.csv', `event_id,ts,type,conversation_id,export_batch\ne1,${TS},resolved,c1,7\n`));
    const [record] = await all(reader);
    expect(record.values).toEqual(ev('e1', TS, 'resolved'));
    expect([...reader.unknownFields]).toEqual(['export_batch']);
  });
});

describe('Parquet reader', () => {
  it('takes typed columns as they are, timestamps to the millisecond', async () => {
    const dir = tmpDir();
    const file = await writeParquet(`${dir}/a.parquet`, [
      ev('e1', '2026-05-03T10:15:00.123999Z', 'bot_message', { latency_ms: 5, tokens_in: 12, fallback: true, channel: '' }),
    ]);
    const [record] = await all(parquetReader(file));
    expect(record.position).toBe(1);
    expect(record.positionKind).toBe('row');
    expect(record.values).toEqual({ ...ev('e1', Date.UTC(2026, 4, 3, 10, 15, 0, 123), 'bot_message'), latency_ms: 5, tokens_in: 12, fallback: true });
  });
});

describe('inputs', () => {
  it('knows the formats by name, looking through .gz', () => {
    expect(['a.ndjson', 'a.JSONL', 'a.csv.gz', 'a.parquet', 'a.ndjson.GZ', 'a.json', 'a.txt', 'a.gz'].map(formatOf)).toEqual([
      'ndjson',
      'ndjson',
      'csv',
      'parquet',
      'ndjson',
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("takes a folder's files in byte-wise order of their relative paths, after the inputs before it", () => {
    const dir = tmpDir();
    for (const name of ['b.ndjson', 'a.ndjson', 'a/z.csv', 'a-b.ndjson', 'B.csv', 'é.ndjson', 'z/a/b.parquet', 'notes.txt', '.hidden.ndjson'])
      writeFile(dir, `in/${name}`, 'x');
    const first = writeFile(dir, 'first.csv', 'x');
    const skipped: string[] = [];
    const files = resolveInputs([first, `${dir}/in`], (f) => skipped.push(f));
    expect(files.map((f) => f.path.slice(dir.length + 1))).toEqual([
      'first.csv',
      'in/B.csv',
      'in/a-b.ndjson',
      'in/a.ndjson',
      'in/a/z.csv',
      'in/b.ndjson',
      'in/z/a/b.parquet',
      'in/é.ndjson',
    ]);
    expect(skipped).toEqual([`${dir}/in/notes.txt`]);
  });

  it('follows symbolic links to files in a folder', () => {
    const dir = tmpDir();
    const target = writeFile(dir, 'elsewhere/real.ndjson', 'x');
    writeFile(dir, 'in/a.csv', 'x');
    fs.symlinkSync(target, `${dir}/in/b.ndjson`);
    fs.symlinkSync(`${dir}/missing.ndjson`, `${dir}/in/dangling.ndjson`);
    expect(resolveInputs([`${dir}/in`]).map((f) => path.basename(f.path))).toEqual(['a.csv', 'b.ndjson']);
  });

  it('refuses a folder without export files, even beside other inputs', () => {
    const dir = tmpDir();
    const file = writeFile(dir, 'a.ndjson', 'x');
    writeFile(dir, 'empty/readme.txt', 'x');
    expect(() => resolveInputs([file, `${dir}/empty`])).toThrow(`${dir}/empty: no export files found`);
  });

  it('refuses a named file of unknown type and a missing path', () => {
    const dir = tmpDir();
    const file = writeFile(dir, 'events.json', '{}');
    expect(() => resolveInputs([file])).toThrow(`${file}: unknown file type`);
    expect(() => resolveInputs([`${dir}/nope.ndjson`])).toThrow(`${dir}/nope.ndjson: no such file or folder; check the path`);
  });
});
