import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultOptions } from '../../src/data/adapters/options.ts';
import { classifySpan, fromOtlpSpan, hexId, spanEvents, type Span } from '../../src/data/adapters/otel.ts';
import { buildIndex } from '../../src/data/adapters/otelIndex.ts';
import { byId, cleanup, fixture, gzip, HAS_SAMPLES, ofType, read, sample, tmpDir, writeFile } from './helpers.ts';

afterAll(cleanup);

const options = defaultOptions().otel;
const A = '0af7651916cd43dd8448eb211c80319c';
const B = '1bf7651916cd43dd8448eb211c80319c';
const C = '2cf7651916cd43dd8448eb211c80319c';
const D = '3df7651916cd43dd8448eb211c80319c';
const T = Date.UTC(2026, 2, 2, 10, 0, 0); // 2026-03-02T10:00:00Z

/** A span in the adapter's own shape. */
const span = (over: Partial<Span> & { attributes: Record<string, unknown> }): Span => ({
  traceId: A,
  spanId: 'a200000000000002',
  parentSpanId: 'a100000000000001',
  name: 'chat gpt-4o',
  start: BigInt(T) * 1_000_000n,
  end: BigInt(T + 1200) * 1_000_000n,
  status: 'unset',
  resource: {},
  events: [],
  ...over,
});
const ctx = { conversationId: 'conv-1', first: false, inherited: {} };

describe.skipIf(!HAS_SAMPLES)('OpenTelemetry samples', () => {
  // Counts per file: spans and log records read, mapped, events produced, skipped, quarantined.
  it.each([
    ['otel_genai/otlp-proto-example-trace.json', { span: 1 }, 0, 0, { 'no gen_ai.operation.name': 1 }, 0],
    ['otel_genai/otlp-proto-example-logs.json', { 'log record': 1 }, 0, 0, { 'log record': 1 }, 0],
    ['otel_genai/otlp-proto-example-events.json', { 'log record': 1 }, 0, 0, { 'log browser.page_view': 1 }, 0],
    ['otel_genai/promptfoo_production-traces.otlp.json', { span: 6 }, 0, 0, { 'no gen_ai.operation.name': 6 }, 0],
    ['otel_genai/any-agent_OPENAI_trace.sdk-json.json', { span: 6 }, 6, 7, {}, 0],
  ])('%s converts without an error', async (file, units, mapped, events, skipReasons, quarantined) => {
    const r = await read('otel', sample(file));
    const s = r.reader.sourceStats;
    expect(r.errors).toEqual([]);
    expect(s.units).toEqual(units);
    expect([s.mapped, s.events, s.skip_reasons, s.quarantined]).toEqual([mapped, events, skipReasons, quarantined]);
    expect(s.read).toBe(s.mapped + s.skipped + s.quarantined);
    expect(r.events).toHaveLength(events);
  });

  it("reads the Python SDK's span JSON: 128-bit integer ids exactly, nanosecond integers, flat attributes", async () => {
    const { events } = await read('otel', sample('otel_genai/any-agent_OPENAI_trace.sdk-json.json'));
    // 100927429609276267646756448943279827607 and the span ids, in hex: the same ids an OTLP export of the run has.
    const trace = BigInt('100927429609276267646756448943279827607').toString(16);
    expect(trace).toBe('4bedea77bb33b9c5f280371eae21ea97');
    const ids = byId(events);
    const root = `${trace}:${BigInt('12324293800750531911').toString(16)}`;
    expect(ids[root]).toEqual({ event_id: root, ts: 1758026593209, conversation_id: trace, model_version: 'mistral/mistral-small-latest', type: 'task', name: 'any_agent', success: true });
    expect(ids[`${root}:start`]).toMatchObject({ type: 'conversation_started', ts: 1758026593209, conversation_id: trace });
    const llm = `${trace}:${BigInt('9295669169508793927').toString(16).padStart(16, '0')}`;
    // call_llm is read as chat; latency = end − start in ms; cost = input_cost + output_cost.
    expect(ids[llm]).toMatchObject({ type: 'bot_message', ts: 1758026593210, latency_ms: 238.841, tokens_in: 269, tokens_out: 16 });
    expect(ids[llm].cost_usd).toBeCloseTo(0.0000269 + 0.0000048, 15);
    expect(ofType(events, 'tool_call').map((e) => [e.name, e.success])).toEqual([
      ['get_current_time', true],
      ['write_file', true],
    ]);
  });

  it('maps non-standard attribute names through the config (the promptfoo sample)', async () => {
    const config = {
      otel: {
        conversation_id_keys: ['conversation.session_id'],
        operation_keys: ['conversation.role'],
        operations: { user: 'user_message' as const, assistant: 'bot_message' as const },
        dimension_keys: { channel: ['conversation.channel'], intent: ['conversation.intent'], model_version: ['llm.model'] },
        text_keys: ['conversation.content'],
      },
    };
    const r = await read('otel', sample('otel_genai/promptfoo_production-traces.otlp.json'), config);
    expect(r.reader.sourceStats).toMatchObject({ read: 6, mapped: 6, events: 8, skipped: 0, quarantined: 0 });
    expect(r.events.map((e) => [e.conversation_id, e.type, e.user_id, e.latency_ms])).toEqual([
      // A conversation's start comes right after the events of the span that starts it.
      ['otlp_sess_001', 'user_message', 'user_enterprise_123', undefined],
      ['otlp_sess_001', 'conversation_started', 'user_enterprise_123', undefined],
      ['otlp_sess_001', 'bot_message', 'user_enterprise_123', 2800],
      ['otlp_sess_001', 'user_message', 'user_enterprise_123', undefined],
      ['otlp_sess_001', 'bot_message', 'user_enterprise_123', 2500],
      ['otlp_sess_002', 'user_message', 'user_business_456', undefined],
      ['otlp_sess_002', 'conversation_started', 'user_business_456', undefined],
      ['otlp_sess_002', 'bot_message', 'user_business_456', 3200],
    ]);
    expect(r.events[0]).toMatchObject({ channel: 'web_chat', text: "I can't access my dashboard, it keeps saying invalid credentials" });
    expect(r.events[5]).toMatchObject({ intent: 'upgrade_inquiry', event_id: 'b2c3d4e5f67890123456789abcdef01:567890124ef01234' });
  });
});

describe('OpenTelemetry mapping rules', () => {
  it('a chat span is a bot message: latency, tokens, model, cost', () => {
    const out = spanEvents(
      span({ attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.response.model': 'gpt-4o-2024-08-06', 'gen_ai.usage.input_tokens': 100, 'gen_ai.usage.output_tokens': 20, 'gen_ai.usage.input_cost': 0.001, 'gen_ai.usage.output_cost': 0.002 } }),
      { ...ctx, inherited: { user_id: 'u-1' } },
      options,
    );
    expect(out).toEqual({
      events: [
        { event_id: `${A}:a200000000000002`, ts: T, conversation_id: 'conv-1', user_id: 'u-1', model_version: 'gpt-4o-2024-08-06', type: 'bot_message', latency_ms: 1200, tokens_in: 100, tokens_out: 20, cost_usd: 0.003, text: undefined, channel: undefined, entry_point: undefined, intent: undefined, language: undefined, device: undefined, user_type: undefined, kb_version: undefined, prompt_version: undefined },
      ],
    });
  });

  it('reads the deprecated token keys and gen_ai.system, and the request model without a response model', () => {
    const out = spanEvents(
      span({ attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.prompt_tokens': 150, 'gen_ai.usage.completion_tokens': 30 } }),
      ctx,
      options,
    );
    expect('events' in out && out.events[0]).toMatchObject({ type: 'bot_message', model_version: 'gpt-4o', tokens_in: 150, tokens_out: 30 });
    expect('events' in out && out.events[0].cost_usd).toBeUndefined();
  });

  it('a failed tool span is a failed tool call and an error naming the tool, with error.type as its code', () => {
    const out = spanEvents(
      span({ name: 'execute_tool lookup_order', status: 'error', statusMessage: 'order service timed out', end: BigInt(T + 2000) * 1_000_000n, attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup_order', 'error.type': 'TimeoutError' } }),
      ctx,
      options,
    );
    expect('events' in out && out.events.map((e) => [e.event_id, e.type, e.name, e.success, e.error_code, e.ts, e.latency_ms])).toEqual([
      [`${A}:a200000000000002`, 'tool_call', 'lookup_order', false, undefined, T, 2000],
      [`${A}:a200000000000002:error`, 'error', 'lookup_order', undefined, 'TimeoutError', T + 2000, undefined],
    ]);
  });

  it('without error.type the error code is the status message; without a tool name the span name is used', () => {
    const out = spanEvents(span({ name: 'execute_tool crm', status: 'error', statusMessage: 'HTTP 503', attributes: { 'gen_ai.operation.name': 'execute_tool' } }), ctx, options);
    expect('events' in out && out.events.map((e) => [e.type, e.name, e.error_code])).toEqual([
      ['tool_call', 'crm', undefined],
      ['error', 'crm', 'HTTP 503'],
    ]);
  });

  it('a root invoke_agent is a task; nested, embeddings and unknown operations are skipped with the reason', () => {
    expect(classifySpan(span({ parentSpanId: undefined, attributes: { 'gen_ai.operation.name': 'invoke_agent' } }), options)).toEqual({ target: 'task', operation: 'invoke_agent' });
    expect(classifySpan(span({ attributes: { 'gen_ai.operation.name': 'invoke_agent' } }), options)).toEqual({ skip: 'nested invoke_agent' });
    expect(classifySpan(span({ attributes: { 'gen_ai.operation.name': 'embeddings' } }), options)).toEqual({ skip: 'embeddings' });
    expect(classifySpan(span({ attributes: { 'gen_ai.operation.name': 'create_agent' } }), options)).toEqual({ skip: 'create_agent' });
    expect(classifySpan(span({ attributes: { 'gen_ai.operation.name': 'rerank' } }), options)).toEqual({ skip: 'rerank' });
    expect(classifySpan(span({ attributes: { 'http.method': 'POST' } }), options)).toEqual({ skip: 'no gen_ai.operation.name' });
  });

  it('a span that should map but has no start time is quarantined with the reason', () => {
    const out = spanEvents(span({ start: undefined, attributes: { 'gen_ai.operation.name': 'chat' } }), ctx, options, 7);
    expect(out).toEqual({ error: `span ${A}:a200000000000002 (line 7): no start time (startTimeUnixNano)` });
  });

  it('groups spans by conversation id, else session id, else trace, across all spans of a trace', () => {
    const spans = [
      span({ spanId: '1000000000000001', attributes: { 'gen_ai.operation.name': 'chat' } }),
      span({ spanId: '1000000000000002', parentSpanId: undefined, attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.conversation.id': 'conv-1', 'session.id': 's-1', 'user.id': 'u-1' } }),
      span({ traceId: B, spanId: '2000000000000001', start: BigInt(T - 5000) * 1_000_000n, attributes: { 'gen_ai.operation.name': 'chat', 'session.id': 's-2' } }),
      span({ traceId: C, spanId: '3000000000000001', attributes: { 'gen_ai.operation.name': 'chat' } }),
    ];
    const index = buildIndex(spans, options);
    expect([A, B, C].map((t) => index.conversationOf(t))).toEqual(['conv-1', 's-2', C]);
    // The conversation's earliest mapped span: start first, then span id; only its first copy in the file.
    expect(index.context(spans[0])).toEqual({ conversationId: 'conv-1', first: true, inherited: { user_id: 'u-1' } });
    expect(index.context(spans[0]).first).toBe(false);
    expect(index.context(spans[1]).first).toBe(false);
    expect(index.context(spans[2]).first).toBe(true);
    expect(index.context({ ...spans[2], spanId: undefined }).first).toBe(false);
  });

  it('reads OTLP ids as hex, and base64 ids as older exporters wrote them', () => {
    expect(hexId('5B8EFFF798038103D269B633813FC60C', 16)).toBe('5b8efff798038103d269b633813fc60c');
    expect(hexId(Buffer.from('5b8efff798038103d269b633813fc60c', 'hex').toString('base64'), 16)).toBe('5b8efff798038103d269b633813fc60c');
    expect(hexId('', 8)).toBeUndefined();
    expect(fromOtlpSpan({ traceId: 'AA'.repeat(16), spanId: 'BB'.repeat(8), parentSpanId: '', startTimeUnixNano: '0', status: { code: 'STATUS_CODE_ERROR' } }, {})).toMatchObject({
      traceId: 'aa'.repeat(16),
      parentSpanId: undefined,
      start: undefined,
      status: 'error',
    });
  });
});

describe('OpenTelemetry fixture: a support bot, one OTLP request per line', () => {
  it('maps every span, span event and log record as worked out by hand', async () => {
    const r = await read('otel', fixture('otel-support-bot.jsonl'));
    const s = r.reader.sourceStats;
    // 13 spans, 1 evaluation span event, 2 log records; 11 mapped to 16 events; skipped: A5 embeddings, C3 nested
    // invoke_agent, create_agent; quarantined: D2 (no start time) and the evaluation log without a label.
    expect(s).toEqual({
      units: { span: 13, 'span event': 1, 'log record': 2 },
      read: 16,
      mapped: 11,
      events: 16,
      skipped: 3,
      skip_reasons: { embeddings: 1, 'nested invoke_agent': 1, create_agent: 1 },
      quarantined: 2,
    });
    expect(r.errors).toEqual([
      `span ${D}:d200000000000002 (line 2): no start time (startTimeUnixNano)`,
      'log record (line 2): evaluation result without a score label; list its label in adapters.otel.evaluation_pass_labels or evaluation_fail_labels',
    ]);
    const e = byId(r.events);
    // Trace A: conversation conv-1 and user u-1 come from the root span, which is exported last.
    expect(e[`${A}:a100000000000001:start`]).toMatchObject({ type: 'conversation_started', ts: T, conversation_id: 'conv-1', user_id: 'u-1' });
    expect(e[`${A}:a100000000000001`]).toMatchObject({ type: 'task', name: 'support-agent', success: true });
    expect(e[`${A}:a200000000000002`]).toMatchObject({ type: 'bot_message', conversation_id: 'conv-1', user_id: 'u-1', latency_ms: 1200, tokens_in: 100, tokens_out: 20, cost_usd: 0.003 });
    expect(e[`${A}:a300000000000003`]).toMatchObject({ type: 'tool_call', name: 'lookup_order', success: false, latency_ms: 2000 });
    expect(e[`${A}:a300000000000003:error`]).toMatchObject({ type: 'error', name: 'lookup_order', error_code: 'TimeoutError', ts: T + 3400 });
    expect(e[`${A}:a400000000000004`]).toMatchObject({ type: 'bot_message', tokens_in: 150, tokens_out: 30, model_version: 'gpt-4o', latency_ms: 1000 });
    // Trace B is a second turn of conv-1 (no conversation_started); its evaluation span event is a passed review.
    expect(e[`${B}:b100000000000001`]).toMatchObject({ type: 'task', conversation_id: 'conv-1' });
    expect(e[`${B}:b200000000000002:evaluation:0`]).toEqual({ event_id: `${B}:b200000000000002:evaluation:0`, ts: T + 301_000, conversation_id: 'conv-1', type: 'review', name: 'relevance', success: true });
    // Trace C: session.id sess-9; the failed root agent is a failed task and an error; the retrieval names its index.
    expect(e[`${C}:c100000000000001`]).toMatchObject({ type: 'task', conversation_id: 'sess-9', success: false });
    expect(e[`${C}:c100000000000001:error`]).toMatchObject({ type: 'error', name: 'support-agent', error_code: 'agent crashed' });
    expect(e[`${C}:c200000000000002`]).toMatchObject({ type: 'retrieval', name: 'kb-2026-03', kb_version: 'kb-2026-03', success: true });
    expect(ofType(r.events, 'review').map((x) => [x.conversation_id, x.name, x.success])).toEqual([
      ['conv-1', 'relevance', true],
      ['sess-9', 'faithfulness', false],
    ]);
    // Trace D has no conversation or session id: the trace is the conversation.
    expect(e[`${D}:d100000000000001:start`]).toMatchObject({ conversation_id: D });
    expect(ofType(r.events, 'conversation_started').map((x) => x.conversation_id)).toEqual(['conv-1', 'sess-9', D]);
  });

  it('reads the same export pretty-printed as one document, and gzip-compressed, to the same events', async () => {
    const dir = tmpDir();
    const lines = fs.readFileSync(fixture('otel-support-bot.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const merged = { resourceSpans: lines.flatMap((l) => l.resourceSpans), resourceLogs: lines.flatMap((l) => l.resourceLogs ?? []) };
    const pretty = writeFile(dir, 'pretty.json', JSON.stringify(merged, null, 2));
    const gz = writeFile(dir, 'traces.jsonl.gz', gzip(fs.readFileSync(fixture('otel-support-bot.jsonl'), 'utf8')));
    const base = await read('otel', fixture('otel-support-bot.jsonl'));
    const sorted = (events: Record<string, unknown>[]) => [...events].sort((a, b) => String(a.event_id).localeCompare(String(b.event_id)));
    expect(sorted((await read('otel', pretty)).events)).toEqual(sorted(base.events));
    expect((await read('otel', gz)).events).toEqual(base.events);
  });
});
