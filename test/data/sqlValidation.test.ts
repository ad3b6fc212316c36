import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/connection.ts';
import { ingestFile, type FileOutcome, type IngestJob } from '../../src/data/ingest.ts';
import { EVENT_TYPES, FIELD_NAMES } from '../../src/data/schema.ts';
import { createStaged, ingestNdjsonInSql } from '../../src/data/sqlIngest.ts';
import { writeSample } from '../../src/sample/generate.ts';
import { cleanup, ev, gzip, ROOT, tmpDir, writeFile, type Row } from './helpers.ts';

afterAll(cleanup);

/**
 * Issue 3 allows the schema's rules to run in SQL over whole files if a test proves that both paths accept and
 * reject exactly the same rows on every fixture. This is that test: each NDJSON fixture goes through the zod path
 * (ingestFile) and through the SQL path (ingestNdjsonInSql), and both must end with the same staged rows (order,
 * position and every value), the same quarantine (line, reason, text), the same counts and the same warnings.
 */
interface PathResult {
  outcome: FileOutcome;
  staged: Row[];
  quarantine: Row[];
  /** Lines the SQL accepted itself (the rest went to zod); undefined for the zod path or a whole-file fallback. */
  acceptedInSql?: number;
}

const readLines = (file: string): Row[] =>
  fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];

function job(file: string, dir: string): IngestJob {
  return { input: { path: file, format: 'ndjson' }, sha256: 'x', src: 3, stagingFile: path.join(dir, 'staging.ndjson'), quarantineFile: path.join(dir, 'quarantine.ndjson') } as IngestJob;
}

async function zodPath(file: string): Promise<PathResult> {
  const dir = tmpDir('zod');
  const j = job(file, dir);
  const outcome = await ingestFile(j);
  return { outcome, staged: readLines(j.stagingFile), quarantine: readLines(j.quarantineFile) };
}

async function sqlPath(file: string): Promise<PathResult> {
  const dir = tmpDir('sql');
  const j = job(file, dir);
  const db = await openDb();
  try {
    await createStaged(db);
    const outcome = await ingestNdjsonInSql(db, j);
    if (!outcome) return { ...(await zodPath(file)), acceptedInSql: undefined };
    const fromSql = await db.all<Row>(`SELECT seq, src, pos, ${FIELD_NAMES.join(', ')} FROM staged ORDER BY seq`);
    // The same shape as a staging line: absent fields left out, ts in epoch ms.
    const staged = [...fromSql.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null))), ...readLines(j.stagingFile)];
    staged.sort((a, b) => (a.seq as number) - (b.seq as number));
    return { outcome, staged, quarantine: readLines(j.quarantineFile), acceptedInSql: fromSql.length };
  } finally {
    db.close();
  }
}

async function expectSamePaths(file: string): Promise<PathResult> {
  const [zod, sql] = [await zodPath(file), await sqlPath(file)];
  expect(sql.outcome.stats, file).toEqual(zod.outcome.stats);
  expect(sql.outcome.warnings, file).toEqual(zod.outcome.warnings);
  expect(sql.quarantine, file).toEqual(zod.quarantine);
  expect(sql.staged.length, file).toBe(zod.staged.length);
  for (let i = 0; i < zod.staged.length; i++) expect(sql.staged[i], `${file} row ${JSON.stringify(zod.staged[i])}`).toEqual(zod.staged[i]);
  return sql;
}

const TS = '2026-05-03T10:15:00Z';

/** Values of each kind of field, valid and not, including every form events.md names. */
const VALUES = {
  string: ['a', '', ' ', '  padded ', null, 12, 0, true, {}, [], 'x"y', 'é ü 漢', 'line\nbreak', 'back\\slash', 'tab\there'],
  number: [0, -0, 1.5, -1, 1e3, 6.783e-3, 1e-7, '1', null, true, 12345678901234567890123, 1.7976931348623157e308, [1]],
  integer: [12, 12.0, 1e3, 12.5, -1, '3', 0, 1e21, 9007199254740993, null],
  boolean: [true, false, 'true', 'false', 1, 0, null],
  ts: [
    '2026-05-03T10:15:00Z', '2026-05-03t10:15:00z', '2026-05-03 10:15:00+00', '2026-05-03T12:15:00.5+02:00', '2026-05-03T12:15:00.123456+0200',
    '2026-05-03T10:15:00.999999Z', '2026-05-03T10:15:00.9999999Z', '2026-05-03T24:00:00.000Z', '2026-05-03T23:59:59.5Z', '2026-05-03T10:15:00-00:00', '2026-05-03T08:15:00-02', '2026-05-03T10:15:00', '2026-05-03T10:15Z',
    '2026-02-30T00:00:00Z', '2024-02-29T00:00:00Z', '2023-02-29T00:00:00Z', '2000-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2026-04-31T00:00:00Z',
    '2026-13-01T00:00:00Z', '2026-00-10T00:00:00Z', '2026-05-00T00:00:00Z', '2026-05-03T24:00:00Z', '2026-05-03T10:60:00Z', '2026-05-03T10:15:60Z',
    '2026-05-03T10:15:00.Z', '2026-05-03T10:15:00+24:00', '2026-05-03T10:15:00+02:60', '2026-05-03T10:15:00+2:00', '2026-05-03T10:15:00+02:',
    '1969-12-31T23:59:59Z', '1970-01-01T00:00:00Z', '1970-01-01T01:00:00+01:00', '1969-12-31T23:00:00-01:00', '1968-06-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59-01:00', '0000-01-01T00:00:00Z', ' 2026-05-03T10:15:00Z', '2026-05-03T10:15:00Z ',
    '٢٠٢٦-05-03T10:15:00Z', '2026-05-03', '', null, 0, 1.7e12, 1746267300000.9, -1, -0.5, '1746267300000', 253402300800000, 253402300799999, true,
  ],
};

/** One line per value of every field on a valid event, plus the cross-field rules and raw-text edge cases. */
function edgeCorpus(): string[] {
  const lines: string[] = [];
  let n = 0;
  const add = (row: Row) => lines.push(JSON.stringify(row));
  const id = () => `e${++n}`;
  const kinds: Record<string, keyof typeof VALUES> = {
    conversation_id: 'string', user_id: 'string', channel: 'string', intent: 'string', name: 'string', text: 'string', error_code: 'string',
    latency_ms: 'number', cost_usd: 'number', score: 'number', scale_max: 'number', tokens_in: 'integer', tokens_out: 'integer',
    fallback: 'boolean', correction: 'boolean', success: 'boolean', ts: 'ts',
  };
  for (const [field, kind] of Object.entries(kinds)) for (const value of VALUES[kind]) add(ev(id(), TS, 'bot_message', { [field]: value }));
  for (const value of VALUES.string) add({ ...ev('', TS, 'user_message'), event_id: value });
  for (const type of [...EVENT_TYPES, 'fallbak', 'Resolved', '', 5, null]) {
    add(ev(id(), TS, String(type), { type }));
    add({ event_id: id(), ts: TS, type, conversation_id: 'c1' });
    add({ event_id: id(), ts: TS, type });
  }
  for (const conversation_id of [42, '', null, 'c9', { a: 1 }]) add({ ...ev(id(), TS, 'health_check'), conversation_id });
  for (const [score, scale_max] of [[3, 5], [5, 5], [6, 5], [-1, 5], [0, 1], [1, 0], [0.5, 1], [2, undefined], [undefined, 5], [1, -1]])
    add({ event_id: id(), ts: TS, type: 'feedback', conversation_id: 'c1', score, scale_max });
  add({ event_id: id(), ts: 1746267300000, type: 'user_message', conversation_id: 'c1', tenant: 'acme', region: null });
  lines.push(
    '',
    '   \t',
    `{"event_id":"${id()}","ts":"${TS}","type":"resolved","conversation_id":"c1",}`,
    `{"event_id":"${id()}","ts":"${TS}","type":"bot_message","conversation_id":"c1","latency_ms":NaN}`,
    `{"event_id":"${id()}","ts":"${TS}","type":"bot_message","conversation_id":"c1","latency_ms":Infinity}`,
    `{"event_id":"${id()}","ts":"${TS}","type":"bot_message","conversation_id":"c1","latency_ms":1e400}`,
    `{"event_id":"${id()}","ts":"${TS}","type":"resolved","conversation_id":"c1","extra":NaN}`,
    `{"event_id":"${id()}","ts":"${TS}","type":"resolved","conversation_id":"c1","extra":-Infinity}`,
    `{"event_id":"${id()}","event_id":"dup","ts":"${TS}","type":"resolved","conversation_id":"c1"}`,
    `{"event_id":"${id()}","ts":"${TS}","type":"resolved","conversation_id":"c1","text":"caf\\u00e9 \\ud83d\\ude00"}`,
    `{"event_id":"${id()}","ts":"${TS}","type":"resolved","conversation_id":"c1","text":"lone \\ud800"}`,
    `{"event_id":"${id()}","ts":"${TS}","type":"resolved","conversation_id":"c1","text":"nul \\u0000 and \\u001F"}`,
    `{"event_id":"${id()}","ts":"${TS}","type":"health\\u005fcheck","conversation_id":"c1","success":true}`,
    `{"event_id":"${id()}","ts":"${TS}","type":"bot\\u005Fmessage","conversation_id":"c\\/1","text":"\\u00e9\\t\\"q\\" \\\\"}`,
    `{"event_id":"${id()}","ts":"2026-05-03T10:15:00\\u005a","type":"resolved","conversation_id":"c1","ev\\u0065nt_id":"dup"}`,
    `{"event_id":"${id()}","ts":"${TS}","type":"resolved","conversation_id":"c1","te\\u0078t":"key escaped"}`,
    `{"event_id":"${id()}","ts":"${TS}","type":"resolved","conversation_id":"c1","text":"a, } b"}`,
    `{"event_id":"${id()}","ts":"${TS}","type":"resolved","conversation_id":"c1","extra":[1,]}`,
    `  {"event_id":"${id()}", "ts" : "${TS}",  "type":"resolved","conversation_id":"c1"}  `,
    `{"event_id":"${id()}","ts":"${TS}","type":"resolved","conversation_id":"c1"}\r`,
    `{"event_id":"${id()}","ts":"${TS}","type":"resolved","conversation_id":"c1"} {"event_id":"x"}`,
    `{"event_id":"${id()}","ts":"${TS}","type":"resolved","conversation_id":"c1","tokens_in":01}`,
    `{"event_id":"${id()}","ts":"${TS}","type":"resolved","conversation_id":"c1"`,
    '[1,2]',
    '"text"',
    '42',
    'null',
    'not json at all',
  );
  return lines;
}

describe('SQL validation of NDJSON files against the zod path', () => {
  it('ends with the same rows as zod on every NDJSON fixture of the repository and the conformance kit', async () => {
    // The kit is the workspace's (../shared, beside the checkout, as in CI): a clone elsewhere checks the fixtures only.
    const kit = path.join(ROOT, '../shared/conformance/data/events.ndjson');
    const fixtures = [
      ...fs.readdirSync(path.join(ROOT, 'test/fixtures/data')).filter((f) => f.endsWith('.ndjson')).map((f) => path.join(ROOT, 'test/fixtures/data', f)),
      ...(fs.existsSync(kit) ? [kit] : []),
    ];
    for (const file of fixtures) {
      const sql = await expectSamePaths(file);
      // The SQL does the work: only the kit's faulty and unusual lines go to zod.
      expect(sql.acceptedInSql, file).toBeGreaterThan(sql.outcome.stats.valid * 0.9);
    }
  });

  it('ends with the same rows as zod on the bundled sample export (a quarter of it)', async () => {
    const dir = tmpDir();
    await writeSample(dir, { start: '2026-05', months: 3, conversations: 2500, seed: 7 });
    const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(nd)?jsonl?$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) await expectSamePaths(path.join(dir, file));
  });

  it('ends with the same rows as zod on every value rule and raw-text edge case, plain and gzip-compressed', async () => {
    const dir = tmpDir();
    const file = writeFile(dir, 'edges.ndjson', '\uFEFF' + edgeCorpus().join('\r\n') + '\n');
    const sql = await expectSamePaths(file);
    expect(sql.acceptedInSql).toBeGreaterThan(100);
    expect(sql.outcome.stats.quarantined).toBeGreaterThan(100);
    await expectSamePaths(gzip(file));
  });

  it('keeps file order on a file larger than DuckDB reads in one buffer, checked in several statements (the ordinal is the first-seen order)', async () => {
    const dir = tmpDir();
    const ids = Array.from({ length: 400_000 }, (_, i) => `e${(i * 7919) % 400_000}`);
    const text = ids.map((id, i) => JSON.stringify(ev(id, 1_746_267_300_000 + i, 'user_message', { text: 'x'.repeat(i % 200) }))).join('\n');
    const file = writeFile(dir, 'large.ndjson', text);
    expect(fs.statSync(file).size).toBeGreaterThan(64 * 2 ** 20);
    const db = await openDb();
    try {
      await createStaged(db);
      const j = job(file, dir);
      const percents: number[] = [];
      // Checked 150,000 lines per statement: three statements, two boundaries inside the file.
      const outcome = await ingestNdjsonInSql(db, j, (p) => percents.push(p), 150_000);
      expect(percents).toEqual([0, 37.5, 75]);
      expect(outcome?.stats).toMatchObject({ read: ids.length, valid: ids.length, quarantined: 0 });
      const staged = await db.all<{ event_id: string; pos: number }>(`SELECT event_id, pos FROM staged ORDER BY seq`);
      expect(staged.map((r) => r.event_id)).toEqual(ids);
      expect(staged.every((r, i) => r.pos === i + 1)).toBe(true);
    } finally {
      db.close();
    }
  }, 60_000);

  it('hands a file to zod whole when DuckDB and the reader disagree on its records, and still ends the same', async () => {
    const dir = tmpDir();
    // A line of only a no-break space is blank to the reader (String.trim) but not to DuckDB.
    const file = writeFile(dir, 'nbsp.ndjson', [JSON.stringify(ev('a', TS, 'resolved')), '\u00a0', JSON.stringify(ev('b', TS, 'resolved'))].join('\n'));
    const sql = await expectSamePaths(file);
    expect(sql.acceptedInSql).toBeUndefined();
  });
});
