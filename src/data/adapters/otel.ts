import {
  at,
  isObject,
  nanos,
  nanosDiffMs,
  nanosToMs,
  num,
  str,
  type CanonicalCandidate,
  type Outcome,
} from './common.ts';
import type { OtelOptions, OtelTarget } from './options.ts';

/**
 * OpenTelemetry GenAI traces (../shared/samples/README.md): OTLP/JSON as the Collector's file exporter writes it
 * (one request per line, or one pretty-printed document), and the OpenTelemetry Python SDK's own span JSON.
 * `spanEvents`, `evaluationEvent` and `logEvents` are the pure mapping and `itemRecords` applies them to one unit of
 * a file; otelIndex.ts learns what a file's traces share, otelReader.ts streams a file through both.
 */

export interface SpanEvent {
  name: string;
  time?: bigint;
  attributes: Record<string, unknown>;
}

/** A span in one shape whichever JSON it came from. Ids are lower-case hex. */
export interface Span {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name: string;
  start?: bigint;
  end?: bigint;
  status: 'ok' | 'error' | 'unset';
  statusMessage?: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
  events: SpanEvent[];
}

export interface LogRecord {
  traceId?: string;
  spanId?: string;
  time?: bigint;
  eventName?: string;
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

export const EVALUATION_EVENT = 'gen_ai.evaluation.result';

// ---------------------------------------------------------------------------------------------------------------
// Reading the JSON shapes

/** An OTLP AnyValue as a plain value (int64 strings become numbers). */
export function anyValue(v: unknown): unknown {
  if (!isObject(v)) return undefined;
  if (typeof v.stringValue === 'string') return v.stringValue; // the usual case first
  if ('stringValue' in v) return v.stringValue;
  if ('intValue' in v) return num(v.intValue);
  if ('doubleValue' in v) return num(v.doubleValue);
  if ('boolValue' in v) return v.boolValue;
  if ('arrayValue' in v) return isObject(v.arrayValue) && Array.isArray(v.arrayValue.values) ? v.arrayValue.values.map(anyValue) : [];
  if ('kvlistValue' in v) return isObject(v.kvlistValue) ? keyValues(v.kvlistValue.values) : {};
  if ('bytesValue' in v) return v.bytesValue;
  return undefined;
}

/** Attribute keys to keep when reading OTLP (all when undefined): the mapping never looks at the others. */
export type Wanted = ReadonlySet<string> | undefined;

/** An OTLP key/value list as an object (only the `wanted` keys). */
export function keyValues(list: unknown, wanted?: Wanted): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (Array.isArray(list))
    for (const kv of list) {
      const key = isObject(kv) ? kv.key : undefined;
      if (typeof key === 'string' && (!wanted || wanted.has(key))) out[key] = anyValue(kv.value);
    }
  return out;
}

/** An OTLP/JSON trace or span id as lower-case hex: hex as the spec says, or base64 as older exporters wrote it. */
export function hexId(value: unknown, bytes: 16 | 8): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  if (value.length === bytes * 2 && isHex(value)) return isZeros(value) ? undefined : value.toLowerCase();
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(value) && value.length === Math.ceil(bytes / 3) * 4) {
    const buf = Buffer.from(value, 'base64');
    if (buf.length === bytes) return buf.toString('hex');
  }
  return value.toLowerCase();
}

/** Whether a string is all hex digits (a loop: this runs for every id of every span). */
function isHex(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) | 0x20; // lower-cases letters, leaves digits alone
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

function isZeros(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== 48) return false;
  return true;
}

/** A trace or span id of the Python SDK's JSON (an integer, its digits, or `0x…`) as zero-padded lower-case hex. */
export function sdkId(value: unknown, bytes: 16 | 8): string | undefined {
  if (typeof value === 'number') value = Number.isSafeInteger(value) ? String(value) : undefined;
  if (typeof value !== 'string' || value === '') return undefined;
  let n: bigint;
  if (/^0x[0-9a-f]+$/i.test(value)) n = BigInt(value);
  else if (/^\d+$/.test(value)) n = BigInt(value);
  else return value.toLowerCase();
  return n === 0n ? undefined : n.toString(16).padStart(bytes * 2, '0');
}

function otlpStatus(status: unknown): Pick<Span, 'status' | 'statusMessage'> {
  if (!isObject(status)) return { status: 'unset' };
  const code = status.code;
  const s = code === 2 || code === 'STATUS_CODE_ERROR' || code === '2' ? 'error' : code === 1 || code === 'STATUS_CODE_OK' || code === '1' ? 'ok' : 'unset';
  return { status: s, statusMessage: str(status.message) };
}

/** A span of an OTLP/JSON request. */
export function fromOtlpSpan(span: Record<string, unknown>, resource: Record<string, unknown>, wanted?: Wanted): Span {
  return {
    traceId: hexId(span.traceId, 16),
    spanId: hexId(span.spanId, 8),
    parentSpanId: hexId(span.parentSpanId, 8),
    name: typeof span.name === 'string' ? span.name : '',
    start: nanos(span.startTimeUnixNano),
    end: nanos(span.endTimeUnixNano),
    ...otlpStatus(span.status),
    attributes: keyValues(span.attributes, wanted),
    resource,
    events: Array.isArray(span.events)
      ? span.events.filter(isObject).map((e) => ({ name: String(e.name ?? ''), time: nanos(e.timeUnixNano), attributes: keyValues(e.attributes, wanted) }))
      : [],
  };
}

/** A time of the Python SDK's span JSON: integer nanoseconds, or an ISO-8601 string with up to 9 fraction digits. */
function sdkTime(value: unknown): bigint | undefined {
  if (typeof value === 'string') {
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/.exec(value);
    if (m) {
      const ms = Date.parse(`${m[1]}${m[3]}`);
      if (Number.isNaN(ms)) return undefined;
      return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
    }
  }
  return nanos(value);
}

/** A span of the OpenTelemetry Python SDK's `ReadableSpan.to_json()` (flat attributes, integer or `0x` ids). */
export function fromSdkSpan(span: Record<string, unknown>): Span {
  const context = isObject(span.context) ? span.context : {};
  const parent = isObject(span.parent) ? span.parent : undefined;
  const status = isObject(span.status) ? span.status : {};
  const code = String(status.status_code ?? '').toLowerCase().replace(/^statuscode\./, '');
  const resource = isObject(span.resource) ? (isObject(span.resource.attributes) ? span.resource.attributes : {}) : {};
  return {
    traceId: sdkId(context.trace_id, 16),
    spanId: sdkId(context.span_id, 8),
    parentSpanId: parent ? sdkId(parent.span_id, 8) : sdkId(span.parent_id, 8),
    name: typeof span.name === 'string' ? span.name : '',
    start: sdkTime(span.start_time),
    end: sdkTime(span.end_time),
    status: code === 'error' ? 'error' : code === 'ok' ? 'ok' : 'unset',
    statusMessage: str(status.description),
    attributes: isObject(span.attributes) ? span.attributes : {},
    resource,
    events: Array.isArray(span.events)
      ? span.events.filter(isObject).map((e) => ({ name: String(e.name ?? ''), time: sdkTime(e.timestamp), attributes: isObject(e.attributes) ? e.attributes : {} }))
      : [],
  };
}

export function fromOtlpLog(log: Record<string, unknown>, resource: Record<string, unknown>, wanted?: Wanted): LogRecord {
  const attributes = keyValues(log.attributes, wanted);
  return {
    traceId: hexId(log.traceId, 16),
    spanId: hexId(log.spanId, 8),
    time: nanos(log.timeUnixNano) ?? nanos(log.observedTimeUnixNano),
    eventName: str(log.eventName) ?? str(attributes['event.name']),
    attributes,
    resource,
  };
}

/** Whether a JSON object is an OTLP request or (a list of) the SDK's spans: what auto-detection checks. */
export function looksLikeOtel(o: Record<string, unknown>): boolean {
  if (Array.isArray(o.resourceSpans) || Array.isArray(o.resourceLogs)) return true;
  if (Array.isArray(o.spans)) return o.spans.some((s) => isObject(s) && isSdkSpan(s));
  return isSdkSpan(o);
}

const isSdkSpan = (o: Record<string, unknown>) => isObject(o.context) && 'trace_id' in o.context && 'span_id' in o.context;

/** What one JSON unit of an OpenTelemetry file holds. */
export type OtelItem =
  | { kind: 'span'; span: Span; raw: unknown; line: number }
  | { kind: 'log'; log: LogRecord; raw: unknown; line: number }
  | { kind: 'unreadable'; error: string; raw: unknown; line: number };

/**
 * Unpacks one JSON unit (a request, a ResourceSpans element, an SDK span) into spans and log records (an array:
 * a request holds hundreds of spans, and generator steps per span were a measurable share of reading).
 */
export function itemsOf(value: unknown, key: string | undefined, line: number, wanted?: Wanted): OtelItem[] {
  if (!isObject(value)) return [{ kind: 'unreadable', error: `${at(line)}: not a JSON object`, raw: value, line }];
  const out: OtelItem[] = [];
  if (key === 'resourceSpans') resourceSpans(value, line, wanted, out);
  else if (key === 'resourceLogs') resourceLogs(value, line, wanted, out);
  else if (key === 'spans' || (key === '' && isSdkSpan(value)) || (key === undefined && isSdkSpan(value))) out.push({ kind: 'span', span: fromSdkSpan(value), raw: value, line });
  else if (key === '' && (Array.isArray(value.scopeSpans) || Array.isArray(value.instrumentationLibrarySpans))) resourceSpans(value, line, wanted, out);
  else if (Array.isArray(value.resourceSpans) || Array.isArray(value.resourceLogs) || Array.isArray(value.spans)) {
    for (const rs of Array.isArray(value.resourceSpans) ? value.resourceSpans : []) if (isObject(rs)) resourceSpans(rs, line, wanted, out);
    for (const rl of Array.isArray(value.resourceLogs) ? value.resourceLogs : []) if (isObject(rl)) resourceLogs(rl, line, wanted, out);
    for (const s of Array.isArray(value.spans) ? value.spans : []) if (isObject(s)) out.push({ kind: 'span', span: fromSdkSpan(s), raw: s, line });
  } else out.push({ kind: 'unreadable', error: `${at(line)}: neither an OTLP request (resourceSpans, resourceLogs) nor an SDK span`, raw: value, line });
  return out;
}

function resourceSpans(rs: Record<string, unknown>, line: number, wanted: Wanted, out: OtelItem[]): void {
  const resource = isObject(rs.resource) ? keyValues(rs.resource.attributes, wanted) : {};
  const scopes = Array.isArray(rs.scopeSpans) ? rs.scopeSpans : Array.isArray(rs.instrumentationLibrarySpans) ? rs.instrumentationLibrarySpans : [];
  for (const scope of scopes)
    if (isObject(scope) && Array.isArray(scope.spans))
      for (const span of scope.spans) if (isObject(span)) out.push({ kind: 'span', span: fromOtlpSpan(span, resource, wanted), raw: span, line });
}

function resourceLogs(rl: Record<string, unknown>, line: number, wanted: Wanted, out: OtelItem[]): void {
  const resource = isObject(rl.resource) ? keyValues(rl.resource.attributes, wanted) : {};
  const scopes = Array.isArray(rl.scopeLogs) ? rl.scopeLogs : Array.isArray(rl.instrumentationLibraryLogs) ? rl.instrumentationLibraryLogs : [];
  for (const scope of scopes)
    if (isObject(scope) && Array.isArray(scope.logRecords))
      for (const log of scope.logRecords) if (isObject(log)) out.push({ kind: 'log', log: fromOtlpLog(log, resource, wanted), raw: log, line });
}

// ---------------------------------------------------------------------------------------------------------------
// The mapping

/** The first attribute of `keys` present on the span (its own attributes, then its resource's). */
export function attribute(span: Pick<Span, 'attributes' | 'resource'>, keys: readonly string[]): unknown {
  for (const key of keys) {
    const v = span.attributes[key];
    if (v !== undefined && v !== null && v !== '') return v;
  }
  for (const key of keys) {
    const v = span.resource[key];
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

export const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v || undefined : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/** The canonical string fields an attribute can carry, with the keys the options name for each. */
export function fieldKeys(options: OtelOptions): [string, readonly string[]][] {
  let keys = fieldKeysOf.get(options);
  // A field no key names never has a value: it is left out, which spares every span a look at it.
  if (!keys) fieldKeysOf.set(options, (keys = ([['user_id', options.user_id_keys], ...Object.entries(options.dimension_keys)] as [string, string[]][]).filter(([, k]) => k.length > 0)));
  return keys;
}

/** `fieldKeys` per options object: `spanEvents` needs them for every span. */
const fieldKeysOf = new WeakMap<OtelOptions, [string, readonly string[]][]>();

/** The values a span itself carries for the fields of `fieldKeys` (user id, dimensions). */
export function ownFields(span: Pick<Span, 'attributes' | 'resource'>, options: OtelOptions): Record<string, string> {
  const own: Record<string, string> = {};
  for (const [field, keys] of fieldKeys(options)) {
    const v = text(attribute(span, keys));
    if (v !== undefined) own[field] = v;
  }
  return own;
}

/** The `conversation_started` event of a conversation whose earliest mapped span is `spanKey` (trace:span). */
export const conversationStart = (spanKey: string, ts: number, common: CanonicalCandidate): CanonicalCandidate => ({
  event_id: `${spanKey}:start`,
  ts,
  type: 'conversation_started',
  ...common,
});

export type Classification = { target: Exclude<OtelTarget, 'skip'>; operation: string } | { skip: string };

/** Which canonical event a span becomes, from its operation name; a nested invoke_agent is part of its root's task. */
export function classifySpan(span: Span, options: OtelOptions): Classification {
  const operation = text(attribute(span, options.operation_keys));
  if (operation === undefined) return { skip: `no ${options.operation_keys[0] ?? 'operation'}` };
  const target = Object.hasOwn(options.operations, operation) ? options.operations[operation] : undefined;
  if (target === undefined || target === 'skip') return { skip: operation };
  if (target === 'task' && span.parentSpanId) return { skip: `nested ${operation}` };
  return { target, operation };
}

/** What the reader knows about the span's trace and conversation from the whole file. */
export interface SpanContext {
  conversationId: string;
  /**
   * True on the earliest mapped span of the conversation (by start, then trace and span id; its first copy when
   * the file holds it more than once): it also yields `conversation_started`.
   */
  first: boolean;
  /** Field values set elsewhere in the trace (user id, dimensions), used where the span has none of its own. */
  inherited: Record<string, string>;
}

/** A span's canonical events (pure). Evaluation events inside the span are mapped separately by `evaluationEvent`. */
export function spanEvents(span: Span, ctx: SpanContext, options: OtelOptions, line?: number): Outcome {
  const where = () => `span ${span.traceId ?? '?'}:${span.spanId ?? '?'}${line ? ` (${at(line)})` : ''}`;
  const kind = classifySpan(span, options);
  if ('skip' in kind) return kind;
  if (!span.traceId || !span.spanId) return { error: `${where()}: no traceId or spanId, so no event id can be derived` };
  if (span.start === undefined) return { error: `${where()}: no start time (startTimeUnixNano)` };
  const id = `${span.traceId}:${span.spanId}`;
  const ts = nanosToMs(span.start);
  // The span's own values, else those its trace shares.
  const common: CanonicalCandidate = { conversation_id: ctx.conversationId, ...ctx.inherited, ...ownFields(span, options) };
  const failed = span.status === 'error' || attribute(span, ERROR_TYPE) !== undefined;
  const latency = span.end !== undefined ? nanosDiffMs(span.start, span.end) : undefined;
  const usage = {
    tokens_in: num(attribute(span, USAGE_KEYS[0])),
    tokens_out: num(attribute(span, USAGE_KEYS[1])),
    cost_usd: cost(span, options.cost_keys),
  };
  const name = (keys: readonly string[]) => text(attribute(span, keys));
  let main: CanonicalCandidate;
  switch (kind.target) {
    case 'bot_message':
      main = { type: 'bot_message', latency_ms: latency, ...usage, text: text(attribute(span, options.text_keys)) };
      break;
    case 'user_message':
      main = { type: 'user_message', text: text(attribute(span, options.text_keys)) };
      break;
    case 'tool_call':
      main = { type: 'tool_call', name: name(TOOL_NAME) ?? stripOperation(span.name, kind.operation), success: !failed, latency_ms: latency, ...usage };
      break;
    case 'retrieval':
      main = { type: 'retrieval', name: name(DATA_SOURCE), success: !failed, ...usage };
      break;
    case 'task':
      main = { type: 'task', name: name(AGENT_NAME) ?? stripOperation(span.name, kind.operation), success: !failed };
      break;
  }
  const events: CanonicalCandidate[] = [{ event_id: id, ts, ...common, ...main }];
  if (failed) {
    // The component that failed: the tool, agent or index the event names, else the model's provider or the model.
    const component = (typeof main.name === 'string' ? main.name : undefined) ?? name(PROVIDER) ?? common.model_version ?? kind.operation;
    events.push({
      event_id: `${id}:error`,
      ts: span.end !== undefined ? nanosToMs(span.end) : ts,
      type: 'error',
      ...common,
      name: String(component),
      error_code: text(attribute(span, ERROR_TYPE)) ?? span.statusMessage,
    });
  }
  // Last, so that the span's other events are numbered alike whether it starts its conversation or not.
  if (ctx.first) events.push(conversationStart(id, ts, common));
  return { events };
}

/** Input and output token keys: the current names, then the deprecated ones still common in real data. */
const USAGE_KEYS = [
  ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens'],
  ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens'],
];
/** The attributes that name what a span did or what failed (constants: spanEvents runs for every span). */
const TOOL_NAME = ['gen_ai.tool.name'];
const DATA_SOURCE = ['gen_ai.data_source.id'];
const AGENT_NAME = ['gen_ai.agent.name', 'gen_ai.workflow.name'];
const PROVIDER = ['gen_ai.provider.name', 'gen_ai.system'];
const ERROR_TYPE = ['error.type'];
const NAME_KEYS = [...TOOL_NAME, ...DATA_SOURCE, ...AGENT_NAME, ...PROVIDER];

const stripOperation = (spanName: string, operation: string) => (spanName.startsWith(`${operation} `) ? spanName.slice(operation.length + 1) : spanName) || operation;

/** The sum of the cost attributes present (USD), or undefined when none is. */
function cost(span: Span, keys: readonly string[]): number | undefined {
  let total: number | undefined;
  for (const key of keys) {
    const v = num(span.attributes[key] ?? span.resource[key]);
    if (v !== undefined) total = (total ?? 0) + v;
  }
  return total;
}

/**
 * A `gen_ai.evaluation.result` (a span event or a log record) → `review`: `name` = the evaluation's name,
 * `success` from the score's label (the pass and fail labels of the options); a result without such a label
 * cannot be a review and is quarantined.
 */
export function evaluationEvent(
  attributes: Record<string, unknown>,
  where: { eventId: string; time: bigint | undefined; conversationId: string | undefined; describe: string },
  options: OtelOptions,
): Outcome {
  if (where.conversationId === undefined) return { error: `${where.describe}: no trace id or conversation id to attach the evaluation to` };
  if (where.time === undefined) return { error: `${where.describe}: no time` };
  const label = text(attributes['gen_ai.evaluation.score.label'])?.toLowerCase();
  const pass = options.evaluation_pass_labels.map((l) => l.toLowerCase());
  const fail = options.evaluation_fail_labels.map((l) => l.toLowerCase());
  const success = label === undefined ? undefined : pass.includes(label) ? true : fail.includes(label) ? false : undefined;
  if (success === undefined)
    return {
      error: `${where.describe}: evaluation result ${label === undefined ? 'without a score label' : `labelled ${JSON.stringify(label)}`}; list its label in adapters.otel.evaluation_pass_labels or evaluation_fail_labels`,
    };
  return {
    events: [
      {
        event_id: where.eventId,
        ts: nanosToMs(where.time),
        conversation_id: where.conversationId,
        type: 'review',
        name: text(attributes['gen_ai.evaluation.name']),
        success,
      },
    ],
  };
}

/** The attributes the first pass reads: those that name a trace's conversation, its shared values and the operation. */
export function indexKeys(options: OtelOptions): Set<string> {
  return new Set([...options.conversation_id_keys, ...options.user_id_keys, ...Object.values(options.dimension_keys).flat(), ...options.operation_keys]);
}

/** The attributes the mapping reads with these options (the rest of an OTLP span is not decoded). */
export function wantedKeys(options: OtelOptions): Set<string> {
  return new Set([
    ...options.conversation_id_keys,
    ...options.user_id_keys,
    ...options.cost_keys,
    ...options.operation_keys,
    ...Object.values(options.dimension_keys).flat(),
    ...options.text_keys,
    ...USAGE_KEYS.flat(),
    ...NAME_KEYS,
    ...ERROR_TYPE,
    'event.name',
    'gen_ai.evaluation.name',
    'gen_ai.evaluation.score.label',
  ]);
}

/** The conversation a log record names itself (the options' conversation keys), if any. */
export function ownLogConversation(log: LogRecord, options: OtelOptions): string | undefined {
  return text(attribute({ attributes: log.attributes, resource: log.resource }, options.conversation_id_keys));
}

/**
 * A log record: an evaluation result becomes a review; any other log is skipped. `conversationId` is the one it
 * names itself, else its trace's (undefined when it has neither).
 */
export function logEvents(log: LogRecord, conversationId: string | undefined, options: OtelOptions, line?: number): Outcome {
  if (log.eventName !== EVALUATION_EVENT) return { skip: log.eventName ? `log ${log.eventName}` : 'log record' };
  const name = text(log.attributes['gen_ai.evaluation.name']) ?? '';
  return evaluationEvent(
    log.attributes,
    {
      eventId: `${log.traceId ?? conversationId}:${log.spanId ?? ''}:evaluation:${name}:${log.time ?? ''}`,
      time: log.time,
      conversationId,
      describe: `log record${line ? ` (${at(line)})` : ''}`,
    },
    options,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// One item's source records, for both readers (otelReader.ts reads a file in order, src/data/otelIngest.ts in
// parallel chunks)

/** What a reader knows of a span's trace and conversation (the index, or a stand-in that defers to the trace). */
export interface Contexts {
  context(span: Span): SpanContext;
  conversationOf(traceId: string): string;
}

/** One source record of an item and what became of it. */
export interface OtelRecord {
  unit: 'span' | 'span event' | 'log record' | 'unreadable record';
  raw: unknown;
  outcome: Outcome;
  /** The trace its events take their conversation id from (none when the record names its own). */
  trace?: string;
  /** Whether its events' user id and dimensions fall back to the values the trace shares. */
  inherits?: boolean;
}

/** The source records of one item in reading order: a span, then its evaluation events; a log record; an unreadable unit. */
export function itemRecords(item: OtelItem, contexts: Contexts, options: OtelOptions): OtelRecord[] {
  if (item.kind === 'unreadable') return [{ unit: 'unreadable record', raw: item.raw, outcome: { error: item.error } }];
  if (item.kind === 'log') {
    const log = item.log;
    const own = ownLogConversation(log, options);
    const conversationId = own ?? (log.traceId ? contexts.conversationOf(log.traceId) : undefined);
    return [{ unit: 'log record', raw: item.raw, outcome: logEvents(log, conversationId, options, item.line), trace: own === undefined ? log.traceId : undefined }];
  }
  const span = item.span;
  const ctx: SpanContext = span.traceId ? contexts.context(span) : { conversationId: '', first: false, inherited: {} };
  const records: OtelRecord[] = [{ unit: 'span', raw: item.raw, outcome: spanEvents(span, ctx, options, item.line), trace: span.traceId, inherits: true }];
  for (const [i, event] of span.events.entries()) {
    if (event.name !== EVALUATION_EVENT) continue;
    const outcome = evaluationEvent(
      event.attributes,
      {
        eventId: `${span.traceId}:${span.spanId}:evaluation:${i}`,
        time: event.time ?? span.end ?? span.start,
        conversationId: span.traceId && span.spanId ? ctx.conversationId : undefined,
        describe: `evaluation event of span ${span.traceId ?? '?'}:${span.spanId ?? '?'} (${at(item.line)})`,
      },
      options,
    );
    records.push({ unit: 'span event', raw: event, outcome, trace: span.traceId });
  }
  return records;
}
