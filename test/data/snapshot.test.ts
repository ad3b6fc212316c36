import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { snapshot, type SnapshotOptions, type SnapshotReport } from '../../src/data/snapshot.ts';
import { parseDateTime } from '../../src/data/timestamp.ts';
import { UserError } from '../../src/errors.ts';
import {
  cleanup,
  csv,
  csvCell,
  ev,
  gzip,
  ndjson,
  parquetHashes,
  readConversations,
  readEvents,
  readManifestJson,
  readQuarantine,
  tmpDir,
  treeHashes,
  writeFile,
  writeParquet,
  type Row,
} from './helpers.ts';

afterAll(cleanup);

const utc = (iso: string) => {
  const r = parseDateTime(iso);
  if (!r.ok) throw new Error(r.reason);
  return r.ms;
};
const run = (inputs: string[], out: string, options: Partial<SnapshotOptions> = {}): Promise<SnapshotReport> =>
  snapshot(inputs, { out, timezone: 'UTC', ...options });
const counts = (r: SnapshotReport) => ({ read: r.read, kept: r.kept, duplicates: r.duplicates, quarantined: r.quarantined });
const CONFLICT = 'event_id: duplicate with different content';

describe('counting and de-duplication', () => {
  it('ends every row read as kept, duplicate or quarantined', async () => {
    const dir = tmpDir();
    const file = writeFile(
      dir,
      'a.ndjson',
      ndjson([
        ev('e1', '2026-01-10T10:00:00Z', 'conversation_started'),
        ev('e2', '2026-01-10T10:00:01Z', 'user_message', { text: 'hi' }),
        '',
        ev('e1', '2026-01-10T10:00:00Z', 'conversation_started'),
        ev('e2', '2026-01-10T10:00:01Z', 'user_message', { text: 'changed' }),
        ev('e3', '2026-01-10T10:00:02', 'bot_message'),
        '   ',
        '{"event_id":"e4","ts":',
        ev('e5', '2026-01-10T10:00:03Z', 'resolved'),
      ]),
    );
    const out = `${dir}/snap`;
    const report = await run([file], out);
    expect(counts(report)).toEqual({ read: 7, kept: 3, duplicates: 1, quarantined: 3 });
    expect(report.read).toBe(report.kept + report.duplicates + report.quarantined);
    const manifest = readManifestJson(out);
    expect(manifest.inputs).toEqual([
      expect.objectContaining({ path: file, format: 'ndjson', read: 7, kept: 3, duplicates: 1, quarantined: 3, event_types: { conversation_started: 1, resolved: 1, user_message: 1 } }),
    ]);
    expect(manifest.totals).toEqual({ events: 3, conversations: 1, health_checks: 0, quarantined: 3 });
    expect(readQuarantine(out).map((q) => [q.source, q.line, q.reason])).toEqual([
      [file, 6, 'ts: no timezone offset'],
      [file, 8, expect.stringMatching(/^row: not a JSON object/)],
      [file, 5, CONFLICT],
    ]);
    expect((await readEvents(out)).map((e) => e.event_id)).toEqual(['e1', 'e2', 'e5']);
    expect(report.quarantineFile).toBe(path.join(out, 'quarantine.ndjson'));
  });

  it('drops the same instant written in another form, sub-millisecond digits, unknown fields and missing-as-empty as duplicates', async () => {
    const dir = tmpDir();
    const ms = utc('2026-01-10T10:00:00.123Z');
    const kept = ev('e1', '2026-01-10T10:00:00.123Z', 'bot_message', { tokens_in: 12, latency_ms: 250 });
    const file = writeFile(
      dir,
      'a.ndjson',
      ndjson([
        kept,
        { ...kept, ts: ms },
        { ...kept, ts: ms + 0.9 },
        { ...kept, ts: '2026-01-10T11:00:00.1239+01:00' },
        { ...kept, ts: '2026-01-10 10:00:00.123+00' },
        { ...kept, export_batch: 'b2' },
        { ...kept, channel: '', intent: null },
        '{"event_id":"e1","ts":"2026-01-10T10:00:00.123Z","conversation_id":"c1","type":"bot_message","tokens_in":12.0,"latency_ms":2.5e2}',
      ]),
    );
    const out = `${dir}/snap`;
    expect(counts(await run([file], out))).toEqual({ read: 8, kept: 1, duplicates: 7, quarantined: 0 });
    const [event] = await readEvents(out);
    expect(event).toMatchObject({ event_id: 'e1', ts: ms, tokens_in: 12, latency_ms: 250, channel: null });
  });

  it('quarantines conflicts, comparing every later sighting with the kept row', async () => {
    const dir = tmpDir();
    const first = ev('e1', '2026-01-10T10:00:00Z', 'user_message', { text: 'first' });
    const lines = [
      first,
      { ...first, text: 'second' }, // conflict
      { ...first, text: 'second' }, // the same as the conflict, yet again a conflict: compared with the kept row
      { ...first, ts: utc('2026-01-10T10:00:00Z') }, // the kept row again: a duplicate
      { ...first, ts: '2026-01-10T10:00:00.001Z' }, // one millisecond off: a conflict
      { ...first, type: 'bot_message' },
      { ...first, text: undefined },
    ];
    const file = writeFile(dir, 'a.ndjson', ndjson(lines));
    const out = `${dir}/snap`;
    expect(counts(await run([file], out))).toEqual({ read: 7, kept: 1, duplicates: 1, quarantined: 5 });
    expect((await readEvents(out))[0].text).toBe('first');
    const quarantine = readQuarantine(out);
    expect(quarantine.map((q) => [q.line, q.reason])).toEqual([
      [2, CONFLICT],
      [3, CONFLICT],
      [5, CONFLICT],
      [6, CONFLICT],
      [7, CONFLICT],
    ]);
    expect(quarantine[0]).toEqual({ source: file, line: 2, reason: CONFLICT, raw: JSON.stringify(lines[1]) });
  });

  it('keeps conflicting CSV and Parquet rows as they were written', async () => {
    const dir = tmpDir();
    const rows = [ev('e1', '2026-01-10T10:00:00Z', 'user_message', { text: 'a' }), ev('e1', '2026-01-10T10:00:00Z', 'user_message', { text: 'b' })];
    const csvFile = writeFile(dir, 'a.csv', csv(rows, ['event_id', 'ts', 'conversation_id', 'type', 'text']));
    await run([csvFile], `${dir}/csv`);
    expect(readQuarantine(`${dir}/csv`)).toEqual([
      { source: csvFile, line: 3, reason: CONFLICT, raw: { event_id: 'e1', ts: '2026-01-10T10:00:00Z', conversation_id: 'c1', type: 'user_message', text: 'b' } },
    ]);
    const parquetFile = await writeParquet(`${dir}/a.parquet`, rows);
    await run([parquetFile], `${dir}/pq`);
    const [entry] = readQuarantine(`${dir}/pq`);
    expect(entry).toMatchObject({ source: parquetFile, row: 2, reason: CONFLICT, raw: { event_id: 'e1', text: 'b', ts: utc('2026-01-10T10:00:00Z') } });
  });

  it('lets invalid rows take no part in de-duplication', async () => {
    const dir = tmpDir();
    const valid = ev('e1', '2026-01-10T10:00:00Z', 'bot_message', { latency_ms: 10 });
    const file = writeFile(
      dir,
      'a.ndjson',
      ndjson([
        { ...valid, ts: '2026-01-10T10:00:00' }, // invalid, written before the valid row with its id
        { ...valid, latency_ms: -1 },
        valid,
        { ...valid, fallback: 'yes' }, // invalid after it: quarantined for its own fault, not as a conflict
      ]),
    );
    const out = `${dir}/snap`;
    expect(counts(await run([file], out))).toEqual({ read: 4, kept: 1, duplicates: 0, quarantined: 3 });
    expect(readQuarantine(out).map((q) => [q.line, q.reason])).toEqual([
      [1, 'ts: no timezone offset'],
      [2, 'latency_ms: must be ≥ 0'],
      [4, 'fallback: expected true or false, got string "yes"'],
    ]);
    expect((await readEvents(out))[0]).toMatchObject({ event_id: 'e1', latency_ms: 10 });
  });

  it("drops a health check's conversation_id before validation and de-duplication", async () => {
    const dir = tmpDir();
    const file = writeFile(
      dir,
      'a.ndjson',
      ndjson([
        ev('h1', '2026-01-10T06:00:00Z', 'health_check', { conversation_id: 'c-x' }),
        ev('h1', '2026-01-10T06:00:00Z', 'health_check', { conversation_id: 'c-y' }),
        ev('h1', '2026-01-10T06:00:00Z', 'health_check', { conversation_id: 17 }),
        ev('h2', '2026-01-10T12:00:00Z', 'health_check', { success: false }),
        ev('e1', '2026-01-10T10:00:00Z', 'conversation_started', { conversation_id: 'c-x' }),
      ]),
    );
    const out = `${dir}/snap`;
    expect(counts(await run([file], out))).toEqual({ read: 5, kept: 3, duplicates: 2, quarantined: 0 });
    const events = await readEvents(out);
    expect(events.filter((e) => e.type === 'health_check').map((e) => [e.event_id, e.conversation_id, e.success])).toEqual([
      ['h1', null, true],
      ['h2', null, false],
    ]);
    expect((await readConversations(out)).map((c) => [c.conversation_id, c.events])).toEqual([['c-x', 1]]);
    expect(readManifestJson(out).months['2026-01']).toMatchObject({ events: 3, conversations: 1, health_checks: 2 });
  });

  it('stores text with a lone surrogate (valid JSON) instead of failing the run', async () => {
    const dir = tmpDir();
    const file = writeFile(dir, 'a.ndjson', '{"event_id":"e1","ts":"2026-01-10T10:00:00Z","conversation_id":"c1","type":"user_message","text":"a\\ud800b \\\\u"}\n');
    const out = `${dir}/snap`;
    expect(counts(await run([file], out))).toEqual({ read: 1, kept: 1, duplicates: 0, quarantined: 0 });
    expect((await readEvents(out))[0].text).toBe('a\uFFFDb \\u');
  });

  it('succeeds with nothing kept when every row is invalid', async () => {
    const dir = tmpDir();
    const file = writeFile(dir, 'a.ndjson', ndjson([ev('e1', 'yesterday', 'resolved'), ev('e2', '2026-01-10T10:00:00Z', 'fallbak')]));
    const out = `${dir}/snap`;
    expect(counts(await run([file], out))).toEqual({ read: 2, kept: 0, duplicates: 0, quarantined: 2 });
    const manifest = readManifestJson(out);
    expect(manifest.months).toEqual({});
    expect(manifest.earliest_ts).toBeNull();
    expect(readQuarantine(out).map((q) => q.reason)).toEqual(['ts: not an RFC 3339 date-time or epoch milliseconds: "yesterday"', 'type: unknown value "fallbak"']);
  });
});

describe('first seen', () => {
  const version = (text: string) => ev('e1', '2026-01-10T10:00:00Z', 'user_message', { text });

  it('follows the order of the inputs on the command line', async () => {
    const dir = tmpDir();
    const a = writeFile(dir, 'a.ndjson', ndjson([version('from a')]));
    const b = writeFile(dir, 'b.csv', csv([version('from b')]));
    await run([b, a], `${dir}/ba`);
    expect((await readEvents(`${dir}/ba`))[0].text).toBe('from b');
    expect(readQuarantine(`${dir}/ba`).map((q) => q.source)).toEqual([a]);
    await run([a, b], `${dir}/ab`);
    expect((await readEvents(`${dir}/ab`))[0].text).toBe('from a');
    expect(readQuarantine(`${dir}/ab`).map((q) => q.source)).toEqual([b]);
  });

  it("takes a folder's files in byte-wise order of their relative paths", async () => {
    const dir = tmpDir();
    for (const name of ['b.ndjson', 'a/x.ndjson', 'a.ndjson', 'B.ndjson', 'a-z.ndjson']) writeFile(dir, `in/${name}`, ndjson([version(name)]));
    const report = await run([`${dir}/in`], `${dir}/snap`);
    expect(counts(report)).toEqual({ read: 5, kept: 1, duplicates: 0, quarantined: 4 });
    expect((await readEvents(`${dir}/snap`))[0].text).toBe('B.ndjson');
    expect(readQuarantine(`${dir}/snap`).map((q) => path.relative(`${dir}/in`, q.source as string))).toEqual(['a-z.ndjson', 'a.ndjson', 'a/x.ndjson', 'b.ndjson']);
  });
});

describe('conversations and months', () => {
  // c-late starts 2026-01-31T23:30:00Z with a message logged before conversation_started but written after it;
  // in Europe/Berlin that is 2026-02-01 00:30. c-jan is in January in both zones; c-dst starts on 2026-03-31 at
  // 22:30Z, which is April in Berlin (summer time, UTC+2).
  const rows = [
    ev('a1', '2026-01-31T23:40:00Z', 'conversation_started', { conversation_id: 'c-late', channel: 'web' }),
    ev('a2', '2026-01-31T23:30:00Z', 'user_message', { conversation_id: 'c-late' }),
    ev('a3', '2026-02-01T00:10:00Z', 'bot_message', { conversation_id: 'c-late' }),
    ev('a4', '2026-02-20T09:00:00Z', 'conversation_ended', { conversation_id: 'c-late' }),
    ev('b1', '2026-01-15T10:00:00Z', 'conversation_started', { conversation_id: 'c-jan' }),
    ev('d1', '2026-03-31T22:30:00Z', 'conversation_started', { conversation_id: 'c-dst' }),
    ev('h1', '2026-01-31T23:45:00Z', 'health_check', { conversation_id: 'c-late' }),
  ];
  const monthsOf = async (out: string) =>
    Object.fromEntries((await readEvents(out)).map((e) => [e.event_id, e.month]));

  it('starts a conversation at its earliest event of any type and files all its events in that month (UTC)', async () => {
    const dir = tmpDir();
    const file = writeFile(dir, 'a.ndjson', ndjson(rows));
    await run([file], `${dir}/snap`);
    expect(await monthsOf(`${dir}/snap`)).toEqual({ a1: '2026-01', a2: '2026-01', a3: '2026-01', a4: '2026-01', b1: '2026-01', d1: '2026-03', h1: '2026-01' });
    const conversations = await readConversations(`${dir}/snap`);
    expect(conversations.find((c) => c.conversation_id === 'c-late')).toMatchObject({
      start_ts: utc('2026-01-31T23:30:00Z'),
      end_ts: utc('2026-02-20T09:00:00Z'),
      events: 4,
      channel: 'web',
      month: '2026-01',
    });
    const manifest = readManifestJson(`${dir}/snap`);
    expect(Object.keys(manifest.months)).toEqual(['2026-01', '2026-03']);
    expect(manifest.months['2026-01']).toMatchObject({ events: 6, conversations: 2, health_checks: 1 });
    expect(manifest.timezone).toBe('UTC');
  });

  it('assigns months in the report time zone (Europe/Berlin)', async () => {
    const dir = tmpDir();
    const file = writeFile(dir, 'a.ndjson', ndjson(rows));
    await run([file], `${dir}/snap`, { timezone: 'Europe/Berlin' });
    expect(await monthsOf(`${dir}/snap`)).toEqual({ a1: '2026-02', a2: '2026-02', a3: '2026-02', a4: '2026-02', b1: '2026-01', d1: '2026-04', h1: '2026-02' });
    const manifest = readManifestJson(`${dir}/snap`);
    expect(Object.keys(manifest.months)).toEqual(['2026-01', '2026-02', '2026-04']);
    expect(manifest.timezone).toBe('Europe/Berlin');
    expect((await readConversations(`${dir}/snap`)).map((c) => [c.conversation_id, c.month])).toEqual([
      ['c-dst', '2026-04'],
      ['c-jan', '2026-01'],
      ['c-late', '2026-02'],
    ]);
  });
});

describe('conversation rollup (conversations/<month>.parquet)', () => {
  it('takes each dimension from the first event that has it, ties broken by the byte-wise smaller event_id', async () => {
    const dir = tmpDir();
    const c = (id: string, ts: string, type: string, extra: Row = {}) => ev(id, ts, type, { conversation_id: 'c-dim', ...extra });
    const file = writeFile(
      dir,
      'a.ndjson',
      ndjson([
        c('m-3', '2026-01-10T10:00:00Z', 'conversation_started', { channel: '', language: 'de' }),
        // the same instant: "B-2" < "a-1" byte-wise (a locale would put "a" first); "z" < "é" byte-wise
        c('a-1', '2026-01-10T10:00:05Z', 'user_message', { channel: 'app', intent: 'é-intent', device: 'mobile' }),
        c('B-2', '2026-01-10T10:00:05Z', 'user_message', { channel: 'web', intent: 'z-intent' }),
        c('é-3', '2026-01-10T10:00:06Z', 'bot_message', { user_type: 'authenticated', device: 'desktop' }),
        c('z-3', '2026-01-10T10:00:06Z', 'bot_message', { user_type: 'anonymous' }),
        c('0-late', '2026-01-10T10:09:00Z', 'bot_message', { model_version: 'm2', user_id: 'u7' }),
      ]),
    );
    await run([file], `${dir}/snap`);
    const [conversation] = await readConversations(`${dir}/snap`);
    expect(conversation).toMatchObject({
      conversation_id: 'c-dim',
      channel: 'web',
      intent: 'z-intent',
      language: 'de',
      device: 'mobile',
      user_type: 'anonymous',
      model_version: 'm2',
      user_id: 'u7',
      entry_point: null,
      events: 6,
      user_messages: 2,
      bot_messages: 3,
    });
  });

  it('gives each conversation one outcome, a handoff at the instant of resolved making it escalated', async () => {
    const dir = tmpDir();
    const at = (m: number) => `2026-01-10T10:${String(m).padStart(2, '0')}:00Z`;
    const rows = [
      ev('r1', at(0), 'resolved', { conversation_id: 'resolved' }),
      ev('r2', at(1), 'handoff', { conversation_id: 'resolved' }), // after resolved: still resolved
      ev('t1', at(0), 'handoff', { conversation_id: 'tie' }),
      ev('t2', at(0), 'resolved', { conversation_id: 'tie' }),
      ev('h1', at(0), 'handoff', { conversation_id: 'handed' }),
      ev('h2', at(1), 'resolved', { conversation_id: 'handed' }),
      ev('a1', at(0), 'conversation_started', { conversation_id: 'abandoned' }),
      ev('a2', at(1), 'timeout', { conversation_id: 'abandoned' }),
    ];
    await run([writeFile(dir, 'a.ndjson', ndjson(rows))], `${dir}/snap`);
    expect((await readConversations(`${dir}/snap`)).map((c) => [c.conversation_id, c.outcome])).toEqual([
      ['abandoned', 'abandoned'],
      ['handed', 'escalated'],
      ['resolved', 'resolved'],
      ['tie', 'escalated'],
    ]);
  });

  it("uses a conversation's last feedback (latest ts, then the byte-wise greatest event_id)", async () => {
    const dir = tmpDir();
    const rows = [
      ev('f-9', '2026-01-10T10:00:00Z', 'feedback', { score: 1, scale_max: 1 }),
      ev('f-A', '2026-01-10T10:05:00Z', 'feedback', { score: 2, scale_max: 5 }),
      ev('f-a', '2026-01-10T10:05:00Z', 'feedback', { score: 4, scale_max: 5 }),
      ev('b-1', '2026-01-10T10:05:00Z', 'bot_message', { cost_usd: 0.25, tokens_in: 10, tokens_out: 5 }),
      ev('b-2', '2026-01-10T10:06:00Z', 'bot_message', { cost_usd: 0.5, tokens_out: 1, fallback: true }),
    ];
    await run([writeFile(dir, 'a.ndjson', ndjson(rows))], `${dir}/snap`);
    expect((await readConversations(`${dir}/snap`))[0]).toMatchObject({
      feedback_events: 3,
      last_feedback_ratio: 0.8,
      cost_usd: 0.75,
      tokens: 16,
      fallback_answers: 1,
      start_ts: utc('2026-01-10T10:00:00Z'),
      end_ts: utc('2026-01-10T10:06:00Z'),
    });
  });
});

describe('formats', () => {
  // The same events in every format, with the awkward values of events.md "Values": offsets, epoch numbers with a
  // fraction, sub-millisecond digits, quoted cells, booleans in any case, 12.0 and exponents; plus one duplicate
  // and two invalid rows that every format can carry.
  const canonical: Row[] = [
    ev('e01', '2026-01-31T23:30:00.1239Z', 'conversation_started', {
      conversation_id: 'c-1', user_id: 'u1', channel: 'web', entry_point: '<b>home</b> & "more"', language: 'de-CH', device: 'mobile',
      user_type: 'authenticated', model_version: 'm1', kb_version: 'kb1', prompt_version: 'p1',
    }),
    ev('e02', '2026-02-01T00:30:00.5+01:00', 'user_message', { conversation_id: 'c-1', text: 'Hello, "bot"\nsecond line', correction: false }),
    ev('e03', utc('2026-01-31T23:31:00.250Z') + 0.75, 'bot_message', {
      conversation_id: 'c-1', latency_ms: 835.9, tokens_in: 12, tokens_out: 1000, cost_usd: 0.006783, fallback: true, text: 'ünïcødé 😀 <script>x</script>',
    }),
    ev('e04', '2026-01-31T23:32:00-04:00', 'feedback', { conversation_id: 'c-1', score: 4, scale_max: 5 }),
    ev('e05', '2026-02-01 03:33:00+0530', 'tool_call', { conversation_id: 'c-1', name: 'crm, lookup', success: false, latency_ms: 0 }),
    ev('e06', '2026-02-01 06:00:00+00', 'health_check', { success: true }),
    ev('e07', '2026-02-01t00:00:00z', 'retrieval', { conversation_id: 'c-1', name: 'kb', tokens_in: 3, cost_usd: 1e-7 }),
    ev('e08', '2026-02-01T05:00:00+05', 'task', { conversation_id: 'c-1', name: 'reset' }),
    ev('e09', '2026-02-01T00:01:00-00:00', 'resolved', { conversation_id: 'c-1' }),
    ev('e10', '2026-02-01T00:02:00Z', 'goal', { conversation_id: 'c-1', name: 'lead_captured' }),
    ev('e11', '2026-01-15T10:00:00-04:00', 'conversation_started', { conversation_id: 'c-2', user_id: 'u2' }),
    ev('e12', '2026-01-15T14:01:00Z', 'handoff', { conversation_id: 'c-2', name: 'tier1' }),
    ev('e13', '2026-01-15T14:02:00Z', 'error', { conversation_id: 'c-2', name: 'api', error_code: 'E42' }),
    ev('e14', '2026-01-15T14:03:00Z', 'review', { conversation_id: 'c-2', success: false }),
    ev('e15', '2026-01-15T14:04:00Z', 'timeout', { conversation_id: 'c-2' }),
    ev('e16', '2026-01-15T14:05:00Z', 'conversation_ended', { conversation_id: 'c-2' }),
    ev('e03', '2026-01-31T23:31:00.250Z', 'bot_message', {
      conversation_id: 'c-1', latency_ms: 835.9, tokens_in: 12, tokens_out: 1000, cost_usd: 0.006783, fallback: true, text: 'ünïcødé 😀 <script>x</script>',
    }),
    ev('x1', '2026-01-15T14:06:00Z', 'fallbak', { conversation_id: 'c-2' }),
    ev('x2', '2026-01-15T14:07:00Z', 'user_message', { conversation_id: 'c-2', latency_ms: -1 }),
  ];
  const csvText = () => {
    const columns = Object.keys(canonical.reduce((all, r) => Object.assign(all, r), {}));
    const cell = (r: Row, c: string) => {
      const v = r[c];
      if (c === 'fallback' && v === true) return 'TRUE';
      if (c === 'success' && v === false) return 'False';
      if (c === 'tokens_in' && v === 12) return '12.0';
      if (c === 'cost_usd' && v === 0.006783) return '6.783e-3';
      if (c === 'tokens_out' && v === 1000) return '1e3';
      return csvCell(v);
    };
    return [columns.join(','), '', ...canonical.map((r) => columns.map((c) => cell(r, c)).join(','))].join('\r\n') + '\r\n';
  };
  const parquetRows = () =>
    canonical.map((r) => ({
      ...r,
      ts: r.event_id === 'e01' ? '2026-01-31T23:30:00.123900Z' : new Date(typeof r.ts === 'number' ? Math.trunc(r.ts) : utc(r.ts as string)).toISOString(),
    }));
  const withoutInputs = (manifest: { months: Record<string, Row> }) =>
    Object.fromEntries(Object.entries(manifest.months).map(([m, e]) => [m, { ...e, inputs: undefined }]));

  it('gives byte-identical snapshots from NDJSON, CSV, Parquet and their gzip-compressed forms', async () => {
    const dir = tmpDir();
    const inputs = [
      writeFile(dir, 'in/events.ndjson', ndjson(canonical)),
      writeFile(dir, 'in/events.csv', csvText()),
      await writeParquet(`${dir}/in/events.parquet`, parquetRows()),
    ];
    inputs.push(...inputs.map((f) => gzip(f)));
    inputs.push(writeFile(dir, 'in/plain-name.ndjson', zlib.gzipSync(ndjson(canonical)))); // gzip recognised by content
    const results = [];
    for (const [i, input] of inputs.entries()) {
      const out = `${dir}/out-${i}`;
      const report = await run([input], out, { timezone: 'Europe/Berlin' });
      results.push({ input: path.basename(input), counts: counts(report), parquet: parquetHashes(out), months: withoutInputs(readManifestJson(out)) });
    }
    const [first] = results;
    expect(first.counts).toEqual({ read: 19, kept: 16, duplicates: 1, quarantined: 2 });
    expect(Object.keys(first.parquet)).toEqual(['conversations/2026-01.parquet', 'conversations/2026-02.parquet', 'events/2026-01.parquet', 'events/2026-02.parquet']);
    for (const r of results.slice(1)) expect({ ...r, input: first.input }, r.input).toEqual(first);

    const events = await readEvents(`${dir}/out-0`);
    const byId = Object.fromEntries(events.map((e) => [e.event_id, e]));
    expect(byId.e01.ts).toBe(utc('2026-01-31T23:30:00.123Z'));
    expect(byId.e03).toMatchObject({ ts: utc('2026-01-31T23:31:00.250Z'), tokens_in: 12, tokens_out: 1000, cost_usd: 0.006783, fallback: true });
    expect(byId.e02.text).toBe('Hello, "bot"\nsecond line');
    expect(byId.e05).toMatchObject({ name: 'crm, lookup', success: false, ts: utc('2026-01-31T22:03:00Z') });
    expect(byId.e01.entry_point).toBe('<b>home</b> & "more"');
  });

  it('is deterministic: the same inputs twice give byte-identical Parquet files and manifest', async () => {
    const dir = tmpDir();
    const a = writeFile(dir, 'a.ndjson', ndjson(canonical));
    const b = writeFile(dir, 'b.csv', csvText());
    await run([a, b], `${dir}/one`);
    await run([a, b], `${dir}/two`);
    const one = treeHashes(`${dir}/one`);
    expect(one).toEqual(treeHashes(`${dir}/two`));
    expect(Object.keys(one)).toContain('manifest.json');
    expect(Object.keys(one).filter((f) => f.endsWith('.parquet'))).toHaveLength(4);
  });

  it('stays deterministic when a month is large enough for DuckDB to aggregate it in parallel', async () => {
    // 150,000 events of 5,000 conversations, each conversation's events spread over the whole file: more than one
    // row group, so a parallel sum of cost_usd adds in an order that changes from run to run.
    const dir = tmpDir();
    const base = Date.UTC(2026, 0, 1);
    const rows: string[] = [];
    for (let i = 0; i < 150_000; i++) {
      const c = i % 5000;
      rows.push(`{"event_id":"e${i}","ts":${base + c * 1000 + i},"conversation_id":"c${c}","type":"bot_message","cost_usd":${((i * 7919) % 1000) / 997}}`);
    }
    const file = writeFile(dir, 'big.ndjson', rows.join('\n') + '\n');
    await run([file], `${dir}/one`);
    await run([file], `${dir}/two`);
    expect(treeHashes(`${dir}/two`)).toEqual(treeHashes(`${dir}/one`));
  });
});

describe('incremental runs', () => {
  const jan = [ev('j1', '2026-01-10T10:00:00Z', 'conversation_started', { conversation_id: 'c-jan' }), ev('j2', '2026-01-10T10:01:00Z', 'resolved', { conversation_id: 'c-jan' })];
  const feb = [ev('f1', '2026-02-05T10:00:00Z', 'conversation_started', { conversation_id: 'c-feb' })];
  const mar = [ev('m1', '2026-03-05T10:00:00Z', 'conversation_started', { conversation_id: 'c-mar' }), ev('m2', '2026-03-05T10:00:00', 'user_message', { conversation_id: 'c-mar' })];
  const mtimes = (out: string) =>
    Object.fromEntries(
      fs.readdirSync(`${out}/events`).flatMap((f) => [
        [`events/${f}`, fs.statSync(`${out}/events/${f}`).mtimeMs],
        [`conversations/${f}`, fs.statSync(`${out}/conversations/${f}`).mtimeMs],
      ]),
    );
  const pick = <T>(record: Record<string, T>, prefix: string) => Object.fromEntries(Object.entries(record).filter(([k]) => k.includes(prefix)));
  const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('rewrites only the months a new input touches; untouched files keep their bytes and mtime', async () => {
    const dir = tmpDir();
    const first = writeFile(dir, 'in/1.ndjson', ndjson([...jan, ...feb, ev('bad', 'yesterday', 'resolved')]));
    const out = `${dir}/snap`;
    const r1 = await run([first], out);
    expect(r1.rewrittenMonths).toEqual(['2026-01', '2026-02']);
    const hashes1 = parquetHashes(out);
    const mtimes1 = mtimes(out);
    await settle();

    // One more file: only March is written; the first input is skipped as already recorded.
    const second = writeFile(dir, 'in/2.ndjson', ndjson(mar));
    const r2 = await run([first, second], out);
    expect(r2.skippedInputs).toEqual([first]);
    expect(r2.rewrittenMonths).toEqual(['2026-03']);
    expect(counts(r2)).toEqual({ read: 2, kept: 1, duplicates: 0, quarantined: 1 });
    const hashes2 = parquetHashes(out);
    expect({ ...hashes2, ...hashes1 }).toEqual(hashes2);
    expect(pick(mtimes(out), '2026-0')).toMatchObject(mtimes1);
    const manifest = readManifestJson(out);
    expect(Object.keys(manifest.months)).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(manifest.inputs.map((i: Row) => i.path)).toEqual([first, second]);
    expect(manifest.totals).toMatchObject({ events: 4, quarantined: 2 });
    // the quarantine keeps the rows of both runs
    expect(readQuarantine(out).map((q) => q.source)).toEqual([first, second]);
    await settle();

    // A late event of January's conversation rewrites January only.
    const mtimes2 = mtimes(out);
    const late = writeFile(dir, 'in/3.ndjson', ndjson([ev('j3', '2026-02-28T10:00:00Z', 'conversation_ended', { conversation_id: 'c-jan' })]));
    const r3 = await run([`${dir}/in`], out);
    expect(r3.skippedInputs).toEqual([first, second]);
    expect(r3.rewrittenMonths).toEqual(['2026-01']);
    expect(pick(mtimes(out), '2026-02')).toEqual(pick(mtimes2, '2026-02'));
    expect(pick(mtimes(out), '2026-03')).toEqual(pick(mtimes2, '2026-03'));
    expect(pick(parquetHashes(out), '2026-01')).not.toEqual(pick(hashes1, '2026-01'));
    expect((await readEvents(out)).find((e) => e.event_id === 'j3')?.month).toBe('2026-01');
    expect(readManifestJson(out).months['2026-01'].inputs.map((i: Row) => i.path)).toEqual([first, late]);

    // Nothing new at all: nothing is written.
    const before = treeHashes(out);
    const r4 = await run([`${dir}/in`], out);
    expect(r4.skippedInputs).toHaveLength(3);
    expect(counts(r4)).toEqual({ read: 0, kept: 0, duplicates: 0, quarantined: 0 });
    expect(r4.rewrittenMonths).toEqual([]);
    expect(treeHashes(out)).toEqual(before);
  });

  it("moves a conversation when a late event moves its start into an earlier month", async () => {
    const dir = tmpDir();
    const out = `${dir}/snap`;
    await run([writeFile(dir, '1.ndjson', ndjson([...jan, ...feb, ...mar.slice(0, 1)]))], out);
    const march = pick(parquetHashes(out), '2026-03');
    const report = await run([writeFile(dir, '2.ndjson', ndjson([ev('f0', '2026-01-31T23:00:00Z', 'user_message', { conversation_id: 'c-feb' })]))], out);
    expect(report.rewrittenMonths).toEqual(['2026-01']);
    expect(Object.keys(readManifestJson(out).months)).toEqual(['2026-01', '2026-03']);
    expect(fs.existsSync(`${out}/events/2026-02.parquet`)).toBe(false);
    expect(pick(parquetHashes(out), '2026-03')).toEqual(march);
    expect(Object.fromEntries((await readEvents(out)).map((e) => [e.event_id, e.month]))).toMatchObject({ f0: '2026-01', f1: '2026-01' });
  });

  it('sees the events of earlier runs first', async () => {
    const dir = tmpDir();
    const out = `${dir}/snap`;
    await run([writeFile(dir, '1.ndjson', ndjson(jan))], out);
    const again = writeFile(dir, '2.ndjson', ndjson([{ ...jan[0], ts: utc(jan[0].ts as string) }, { ...jan[1], text: 'changed' }]));
    const report = await run([again], out);
    expect(counts(report)).toEqual({ read: 2, kept: 0, duplicates: 1, quarantined: 1 });
    expect(report.rewrittenMonths).toEqual([]);
    expect(readQuarantine(out)).toEqual([expect.objectContaining({ source: again, line: 2, reason: CONFLICT })]);
    expect((await readEvents(out)).map((e) => e.text)).toEqual([null, null]);
  });

  it('does not read its own snapshot folder when it lies inside an input folder', async () => {
    const dir = tmpDir();
    writeFile(dir, 'data/exports/1.ndjson', ndjson([...jan, ev('bad', 'yesterday', 'resolved')]));
    const out = `${dir}/data/snapshots`;
    expect(counts(await run([`${dir}/data`], out))).toEqual({ read: 3, kept: 2, duplicates: 0, quarantined: 1 });
    const before = treeHashes(out);
    const again = await run([`${dir}/data`], out);
    expect(again.skippedInputs).toEqual([`${dir}/data/exports/1.ndjson`]);
    expect(counts(again)).toEqual({ read: 0, kept: 0, duplicates: 0, quarantined: 0 });
    expect(treeHashes(out)).toEqual(before);
  });

  it('--rebuild starts over from the given inputs, quarantine included', async () => {
    const dir = tmpDir();
    const out = `${dir}/snap`;
    const first = writeFile(dir, '1.ndjson', ndjson([...jan, ev('bad', 'yesterday', 'resolved')]));
    const second = writeFile(dir, '2.ndjson', ndjson(mar));
    await run([first], out);
    await run([second], out);
    const report = await run([second], out, { rebuild: true });
    expect(report.skippedInputs).toEqual([]);
    expect(counts(report)).toEqual({ read: 2, kept: 1, duplicates: 0, quarantined: 1 });
    const manifest = readManifestJson(out);
    expect(Object.keys(manifest.months)).toEqual(['2026-03']);
    expect(manifest.inputs.map((i: Row) => i.path)).toEqual([second]);
    expect(readQuarantine(out).map((q) => q.source)).toEqual([second]);
    expect(fs.readdirSync(`${out}/events`)).toEqual(['2026-03.parquet']);
  });

  it('refuses another time zone than the snapshots were built in, unless rebuilt', async () => {
    const dir = tmpDir();
    const out = `${dir}/snap`;
    const first = writeFile(dir, '1.ndjson', ndjson(jan));
    await run([first], out);
    const before = treeHashes(out);
    const second = writeFile(dir, '2.ndjson', ndjson(mar));
    const error = await run([second], out, { timezone: 'Europe/Berlin' }).catch((e) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toContain('UTC');
    expect(error.message).toContain('Europe/Berlin');
    expect(error.message).toContain('--rebuild');
    expect(error.message).not.toContain('\n');
    expect(treeHashes(out)).toEqual(before);
    await run([first, second], out, { timezone: 'Europe/Berlin', rebuild: true });
    expect(readManifestJson(out).timezone).toBe('Europe/Berlin');
  });
});

describe('inputs that cannot be read fail the run and change nothing', () => {
  const good = ndjson([ev('g1', '2026-01-10T10:00:00Z', 'conversation_started'), ev('g2', '2026-01-10T10:00:01Z', 'resolved')]);
  const gz = zlib.gzipSync(
    ndjson(Array.from({ length: 200 }, (_, i) => ev(`z${i}`, '2026-02-10T10:00:00Z', 'user_message', { text: `message ${i} ${'x'.repeat(i % 17)}` }))),
  );
  const corrupt = Buffer.from(gz);
  for (let i = 40; i < 60; i++) corrupt[i] ^= 0x55;

  const cases: [string, (dir: string) => string, RegExp][] = [
    ['a missing file', (dir) => `${dir}/missing.ndjson`, /missing\.ndjson: no such file or folder/],
    ['a corrupt gzip stream', (dir) => writeFile(dir, 'corrupt.ndjson.gz', corrupt), /corrupt\.ndjson\.gz: corrupt gzip data/],
    ['a truncated gzip stream', (dir) => writeFile(dir, 'cut.ndjson.gz', gz.subarray(0, gz.length - 30)), /cut\.ndjson\.gz: truncated gzip stream/],
    ['a gzip stream cut in its header', (dir) => writeFile(dir, 'head.csv.gz', gz.subarray(0, 6)), /head\.csv\.gz: truncated gzip stream/],
    ['a CSV without the required columns', (dir) => writeFile(dir, 'cols.csv', 'event_id,timestamp,kind\ne1,2026-01-10T10:00:00Z,resolved\n'), /cols\.csv: line 1: CSV header lacks the required columns ts, type/],
    ['an empty NDJSON file', (dir) => writeFile(dir, 'empty.ndjson', ''), /empty\.ndjson: no data rows/],
    ['an NDJSON file of blank lines', (dir) => writeFile(dir, 'blank.ndjson', '\n  \n\r\n'), /blank\.ndjson: no data rows/],
    ['a CSV file with only a header', (dir) => writeFile(dir, 'header.csv', 'event_id,ts,type\n\n'), /header\.csv: no data rows/],
    ['an empty CSV file', (dir) => writeFile(dir, 'empty.csv', ''), /empty\.csv: empty CSV file \(no header row\)/],
    ['an empty gzip-compressed file', (dir) => writeFile(dir, 'empty.ndjson.gz', zlib.gzipSync('')), /empty\.ndjson\.gz: no data rows/],
    ['a file that is not Parquet', (dir) => writeFile(dir, 'fake.parquet', 'event_id,ts,type\n'), /fake\.parquet: cannot be read/],
    ['a folder with no export files', (dir) => (writeFile(dir, 'nothing/notes.txt', 'x'), `${dir}/nothing`), /nothing: no export files found/],
    ['a file of unknown type', (dir) => writeFile(dir, 'events.json', '{}'), /events\.json: unknown file type/],
  ];

  for (const [name, make, message] of cases) {
    it(name, async () => {
      const dir = tmpDir();
      const out = `${dir}/snap`;
      await run([writeFile(dir, 'old.ndjson', good)], out);
      const before = treeHashes(out);
      const bad = make(dir);
      const fresh = writeFile(dir, 'fresh.ndjson', ndjson([ev('n1', '2026-03-10T10:00:00Z', 'conversation_started')]));
      const error = await run([fresh, bad], out).catch((e) => e);
      expect(error).toBeInstanceOf(UserError);
      expect(error.exitCode).toBe(1);
      expect(error.message).toMatch(message);
      expect(error.message).toContain(bad);
      expect(error.message).not.toContain('\n');
      expect(treeHashes(out)).toEqual(before);
      expect(fs.readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]); // no temporary folder left beside it

      // On a first run the snapshot folder is not created at all.
      const never = `${dir}/never`;
      await expect(run([fresh, bad], never)).rejects.toThrow(message);
      expect(fs.existsSync(never)).toBe(false);
    });
  }

  it('refuses to replace a folder that is not a snapshot folder', async () => {
    const dir = tmpDir();
    const input = writeFile(dir, 'data/exports/a.ndjson', good);
    const error = await run([input], `${dir}/data`).catch((e) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(/data: not a snapshot folder/);
    expect(fs.readFileSync(input, 'utf8')).toBe(good);
    fs.mkdirSync(`${dir}/empty`);
    await run([input], `${dir}/empty`);
    expect(readManifestJson(`${dir}/empty`).inputs).toHaveLength(1);
  });

  it('reports an output folder that cannot be written as a user error', async () => {
    const dir = tmpDir();
    const input = writeFile(dir, 'a.ndjson', good);
    const blocker = writeFile(dir, 'plain-file', 'x');
    await expect(run([input], `${blocker}/snap`)).rejects.toThrow(new RegExp(`^${blocker}/snap: the snapshots cannot be written \\(`));
    await expect(run([input], blocker)).rejects.toThrow(/plain-file: not a snapshot folder/);
    expect(fs.readFileSync(blocker, 'utf8')).toBe('x');
    expect(fs.readdirSync(dir).sort()).toEqual(['a.ndjson', 'plain-file']);
  });

  it('refuses an unreadable manifest, asking for --rebuild', async () => {
    const dir = tmpDir();
    const out = `${dir}/snap`;
    const input = writeFile(dir, 'a.ndjson', good);
    await run([input], out);
    fs.writeFileSync(`${out}/manifest.json`, '{ not json');
    await expect(run([input], out)).rejects.toThrow(/manifest\.json: not a readable manifest .*--rebuild/);
    await run([input], out, { rebuild: true });
    expect(readManifestJson(out).inputs).toHaveLength(1);
  });
});
