import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/connection.ts';
import { ingestFile, type FileOutcome, type IngestJob } from '../../src/data/ingest.ts';
import { ingestOtelInParallel, loadOtelStaging } from '../../src/data/otelIngest.ts';
import { snapshot } from '../../src/data/snapshot.ts';
import { UserError } from '../../src/errors.ts';
import { FIELD_NAMES } from '../../src/data/schema.ts';
import { createStaged, loadStagingFiles } from '../../src/data/sqlIngest.ts';
import type { AdaptersConfig } from '../../src/data/adapters/options.ts';
import { cleanup, fixture, gzip, HAS_SAMPLES, sample, tmpDir, writeFile } from '../adapters/helpers.ts';

afterAll(cleanup);

/**
 * The parallel one-pass reading of OpenTelemetry files (otelIngest.ts) must stage what the two-pass otelReader
 * stages through ingestFile: the same rows with the same ordinals (`seq`, `pos`), the same counts and source
 * statistics, the same quarantine, whatever the chunk size and however many workers.
 */
type Row = Record<string, unknown>;

interface PathResult {
  outcome: FileOutcome;
  staged: Row[];
  quarantine: Row[];
}

const readLines = (file: string): Row[] =>
  fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];

function job(file: string, dir: string, adapters?: AdaptersConfig): IngestJob {
  return { input: { path: file, format: 'otel', adapters }, sha256: 'x', src: 2, stagingFile: path.join(dir, 'staging.ndjson'), quarantineFile: path.join(dir, 'quarantine.ndjson') };
}

async function stagedRows(load: (db: Awaited<ReturnType<typeof openDb>>) => Promise<void>): Promise<Row[]> {
  const db = await openDb();
  try {
    await createStaged(db);
    await load(db);
    return await db.all<Row>(`SELECT seq, src, pos, ${FIELD_NAMES.join(', ')} FROM staged ORDER BY seq`);
  } finally {
    db.close();
  }
}

async function inOrder(file: string, adapters?: AdaptersConfig): Promise<PathResult> {
  const j = job(file, tmpDir('otel-seq'), adapters);
  const outcome = await ingestFile(j);
  return { outcome, staged: await stagedRows((db) => loadStagingFiles(db, [j.stagingFile])), quarantine: readLines(j.quarantineFile) };
}

async function inParallel(file: string, options: { parallelism: number; chunkBytes: number }, adapters?: AdaptersConfig): Promise<PathResult | undefined> {
  const dir = tmpDir('otel-par');
  const j = job(file, dir, adapters);
  const result = await ingestOtelInParallel(j, dir, () => {}, options);
  if (!result) return undefined;
  const staged = await stagedRows(async (db) => {
    await loadOtelStaging(db, result.staging, result.outcome);
    await loadStagingFiles(db, [j.stagingFile]);
  });
  return { outcome: result.outcome, staged, quarantine: readLines(j.quarantineFile) };
}

/** The quarantine in a fixed order: the parallel path writes a conversation start's entry after the others. */
const sortedEntries = (entries: Row[]) => entries.map((e) => JSON.stringify(e)).sort();

async function expectSamePaths(file: string, adapters?: AdaptersConfig): Promise<PathResult> {
  const expected = await inOrder(file, adapters);
  for (const options of [
    { parallelism: 1, chunkBytes: 1 << 20 },
    { parallelism: 2, chunkBytes: 300 },
    { parallelism: 3, chunkBytes: 4096 },
  ]) {
    const actual = await inParallel(file, options, adapters);
    expect(actual, `${path.basename(file)} read in parallel`).toBeDefined();
    expect(actual!.staged).toEqual(expected.staged);
    expect(actual!.outcome).toEqual(expected.outcome);
    expect(sortedEntries(actual!.quarantine)).toEqual(sortedEntries(expected.quarantine));
  }
  return expected;
}

// ---------------------------------------------------------------------------------------------------------------
// A generated export with what makes the one-pass reading hard

const T = Date.UTC(2026, 2, 2, 10, 0, 0) * 1e6;
const ns = (offsetMs: number) => String(BigInt(T) + BigInt(offsetMs) * 1_000_000n);
const s = (key: string, value: string) => ({ key, value: { stringValue: value } });
const trace = (n: number) => n.toString(16).padStart(32, '0');
const spanId = (n: number) => n.toString(16).padStart(16, '0');

interface SpanSpec {
  trace: number;
  span: number;
  parent?: number;
  op?: string;
  at?: number;
  start?: string | null;
  attrs?: { key: string; value: unknown }[];
  error?: string;
  events?: unknown[];
}

function otlpSpan(x: SpanSpec) {
  const start = x.start === null ? undefined : (x.start ?? ns(x.at ?? 0));
  return {
    traceId: trace(x.trace),
    spanId: spanId(x.span),
    ...(x.parent ? { parentSpanId: spanId(x.parent) } : {}),
    name: x.op ?? 'chat',
    ...(start ? { startTimeUnixNano: start } : {}),
    endTimeUnixNano: ns((x.at ?? 0) + 500),
    attributes: [...(x.op ? [s('gen_ai.operation.name', x.op)] : []), ...(x.attrs ?? [])],
    status: x.error ? { code: 2, message: x.error } : {},
    ...(x.events ? { events: x.events } : {}),
  };
}

const request = (spans: SpanSpec[]) => JSON.stringify({ resourceSpans: [{ resource: { attributes: [s('service.name', 'bot')] }, scopeSpans: [{ spans: spans.map(otlpSpan) }] }] });
const logs = (records: unknown[]) => JSON.stringify({ resourceLogs: [{ resource: { attributes: [] }, scopeLogs: [{ logRecords: records }] }] });
const evaluation = (label: string | undefined, extra: { key: string; value: unknown }[] = []) => [
  s('event.name', 'gen_ai.evaluation.result'),
  s('gen_ai.evaluation.name', 'relevance'),
  ...(label ? [s('gen_ai.evaluation.score.label', label)] : []),
  ...extra,
];

function hardExport(): string {
  const lines: string[] = [];
  // Conversations of several turns (traces); the root, exported last, names the conversation and the user.
  for (let c = 1; c <= 12; c++) {
    for (let turn = 0; turn < 3; turn++) {
      const t = c * 10 + turn;
      const at = c * 60_000 + turn * 5_000;
      lines.push(
        request([
          { trace: t, span: t * 100 + 2, parent: t * 100 + 1, op: 'chat', at: at + 10, attrs: [s('gen_ai.usage.input_tokens', '12')] },
          { trace: t, span: t * 100 + 3, parent: t * 100 + 1, op: 'execute_tool', at: at + 20, attrs: [s('gen_ai.tool.name', 'lookup')], error: c % 4 === 0 ? 'timeout' : undefined },
          { trace: t, span: t * 100 + 4, parent: t * 100 + 1, op: 'embeddings', at: at + 5 },
        ]),
      );
      lines.push(
        request([
          {
            trace: t,
            span: t * 100 + 1,
            op: 'invoke_agent',
            at,
            attrs: [s('gen_ai.conversation.id', `conv-${c}`), ...(c % 3 ? [s('user.id', `u-${c}`)] : []), s('gen_ai.agent.name', 'support')],
            events: c % 5 === 0 ? [{ name: 'gen_ai.evaluation.result', timeUnixNano: ns(at + 900), attributes: evaluation(c % 2 ? 'pass' : 'fail') }] : undefined,
          },
        ]),
      );
    }
  }
  // A trace with no conversation key: the trace is its conversation; two spans with the same start (span id decides).
  lines.push(request([{ trace: 900, span: 9002, op: 'chat', at: 1000 }, { trace: 900, span: 9001, op: 'chat', at: 1000 }]));
  // A retried batch: the conversation's first span again (an exact copy), and an edited copy of a later span.
  lines.push(request([{ trace: 900, span: 9001, op: 'chat', at: 1000 }, { trace: 10, span: 1002, parent: 1001, op: 'chat', at: 60_010, attrs: [s('gen_ai.usage.input_tokens', '13')] }]));
  // What a trace shares, found on spans in different lines (so in different chunks): the first value of each field,
  // the first conversation key of the best rank.
  lines.push(request([{ trace: 500, span: 50001, op: 'chat', at: 3000, attrs: [s('session.id', 's-first'), s('user.id', 'u-first')] }]));
  lines.push(request([{ trace: 500, span: 50002, op: 'chat', at: 3001, attrs: [s('session.id', 's-second'), s('user.id', 'u-second')] }]));
  lines.push(request([{ trace: 500, span: 50003, op: 'chat', at: 3005 }]));
  lines.push(request([{ trace: 501, span: 50101, op: 'chat', at: 3002, attrs: [s('session.id', 's-x')] }]));
  lines.push(request([{ trace: 501, span: 50102, op: 'chat', at: 3003, attrs: [s('gen_ai.conversation.id', 'conv-x')] }]));
  lines.push(request([{ trace: 501, span: 50103, op: 'chat', at: 3004, attrs: [s('gen_ai.conversation.id', 'conv-y')] }]));
  // Faults: no start time; a start past the range of `ts` (its conversation's start is quarantined too); no operation.
  lines.push(request([{ trace: 901, span: 9011, op: 'chat', start: null }, { trace: 902, span: 9021, op: 'chat', start: '999999999999999999999' }, { trace: 903, span: 9031, at: 7 }]));
  // Log records: an evaluation of a trace above (its conversation from the trace), one naming its conversation, one unlabelled, another log.
  lines.push(
    logs([
      { traceId: trace(20), spanId: spanId(2001), timeUnixNano: ns(200_000), eventName: 'gen_ai.evaluation.result', attributes: evaluation('pass') },
      { timeUnixNano: ns(200_001), attributes: evaluation('fail', [s('gen_ai.conversation.id', 'conv-own')]) },
      { traceId: trace(30), timeUnixNano: ns(200_002), attributes: evaluation(undefined) },
      { traceId: trace(30), timeUnixNano: ns(200_003), attributes: [s('event.name', 'browser.page_view')] },
    ]),
  );
  // Unreadable lines, blank lines, an array of requests on one line and a value that is no object.
  lines.push('{"resourceSpans": [}', '', '   ', `[${request([{ trace: 40, span: 4009, parent: 4001, op: 'chat', at: 240_900 }])}, 5]`);
  return `\ufeff${lines.join('\r\n')}`;
}

describe('reading OpenTelemetry in parallel chunks stages what reading it in order does', () => {
  it('the hand-written fixture', async () => {
    const expected = await expectSamePaths(fixture('otel-support-bot.jsonl'));
    expect(expected.outcome.stats).toMatchObject({ read: 18, valid: 16, quarantined: 2 });
  });

  it('a generated export: conversations across chunks, retried and edited spans, faults, logs and unreadable lines (CRLF, BOM)', async () => {
    const file = writeFile(tmpDir('otel-hard'), 'hard.jsonl', hardExport());
    const expected = await expectSamePaths(file);
    const { stats } = expected.outcome;
    // Counts worked out from the export above (in order): the test would prove nothing if the export were trivial.
    // 36 turns of 4 spans, trace 900's 3, the 2 retried, 6 of traces 500 and 501, 3 faulty ones and 1 in the array; 3 evaluations on each
    // of the 2 conversations that have them; skipped: the 36 embeddings, the span without an operation, the page view.
    expect(stats.source).toMatchObject({ units: { span: 158, 'span event': 6, 'log record': 4, 'unreadable record': 2 }, skipped: 38 });
    // No start time; a start out of range (its event and its conversation's start); the unlabelled evaluation; 2 unreadable.
    expect(stats.quarantined).toBe(6);
    // conv-1 … conv-12, trace 900, traces 500 and 501 (trace 902's start is quarantined, 901 has no start).
    expect(expected.staged.filter((r) => r.type === 'conversation_started').map((r) => r.conversation_id)).toEqual([
      ...Array.from({ length: 12 }, (_, i) => `conv-${i + 1}`),
      trace(900),
      's-first',
      'conv-x',
    ]);
    expect(expected.staged.filter((r) => r.conversation_id === 's-first').map((r) => r.user_id)).toEqual(['u-first', 'u-first', 'u-second', 'u-first']);
    // Trace 900's two spans start together: the lower span id starts it, and its retried copy adds no second start.
    expect(expected.staged.find((r) => r.type === 'conversation_started' && r.conversation_id === trace(900))).toMatchObject({ event_id: `${trace(900)}:${spanId(9001)}:start` });
    expect(expected.quarantine.map((e) => e.reason)).toEqual(
      expect.arrayContaining([expect.stringMatching(/no start time/), expect.stringMatching(/^ts: /), expect.stringMatching(/not valid JSON/), expect.stringMatching(/not a JSON object/)]),
    );
  });

  it('the same export gzip-compressed', async () => {
    await expectSamePaths(writeFile(tmpDir('otel-gz'), 'hard.jsonl.gz', gzip(hardExport())));
  });

  it('conventions of the config (other conversation keys, dimensions)', async () => {
    await expectSamePaths(writeFile(tmpDir('otel-conf'), 'hard.jsonl', hardExport()), {
      otel: { conversation_id_keys: ['user.id', 'gen_ai.conversation.id'], dimension_keys: { intent: ['gen_ai.agent.name'] } },
    });
  });

  it.skipIf(!HAS_SAMPLES)('the OTLP samples', async () => {
    for (const file of ['otel_genai/otlp-proto-example-trace.json', 'otel_genai/promptfoo_production-traces.otlp.json']) {
      const text = JSON.stringify(JSON.parse(fs.readFileSync(sample(file), 'utf8')));
      await expectSamePaths(writeFile(tmpDir('otel-sample'), path.basename(file), text));
    }
  });

  it("hashes a file from the bytes it reads, plain or gzip, when the file's hash is not known yet", async () => {
    const dir = tmpDir('otel-hash');
    for (const file of [writeFile(dir, 'hard.jsonl', hardExport()), writeFile(dir, 'hard.jsonl.gz', gzip(hardExport()))]) {
      for (const chunkBytes of [300, 4096, 1 << 20]) {
        const result = await ingestOtelInParallel({ ...job(file, dir), sha256: '' }, dir, () => {}, { parallelism: 2, chunkBytes });
        expect(result!.outcome.stats.sha256).toBe(crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
      }
    }
  });

  it('leaves a file that is not one JSON value per line to otelReader', async () => {
    const pretty = writeFile(tmpDir('otel-pretty'), 'pretty.json', JSON.stringify(JSON.parse(hardExport().split('\r\n')[0].slice(1)), null, 2));
    expect(await inParallel(pretty, { parallelism: 2, chunkBytes: 300 })).toBeUndefined();
    const late = writeFile(tmpDir('otel-late'), 'late.jsonl', `${hardExport()}\r\n{\r\n"resourceSpans": []}\r\n`);
    expect(await inParallel(late, { parallelism: 2, chunkBytes: 300 })).toBeUndefined();
  });
});

describe('an OpenTelemetry input the parallel reading cannot use is a one-line error, and nothing is written', () => {
  const gz = gzip(hardExport());
  const corrupt = Buffer.from(gz);
  for (let i = 60; i < 90; i++) corrupt[i] ^= 0x55;
  it.each([
    ['a truncated gzip stream', 'cut.jsonl.gz', gz.subarray(0, gz.length - 40), /cut\.jsonl\.gz: truncated gzip stream/],
    ['a corrupt gzip stream', 'bad.jsonl.gz', corrupt, /bad\.jsonl\.gz: corrupt gzip data/],
    ['an empty file', 'empty.jsonl', '', /empty\.jsonl: nothing found to read as otel/],
    ['blank lines only', 'blank.jsonl', '\n \r\n\n', /blank\.jsonl: nothing found to read as otel/],
  ])('%s', async (_name, name, content, message) => {
    const dir = tmpDir('otel-bad');
    const file = writeFile(dir, name, content);
    const out = path.join(dir, 'snapshots');
    const error = await snapshot([file], { out, timezone: 'UTC', from: 'otel' }).catch((e) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
    expect(fs.existsSync(out)).toBe(false);
  });
});
