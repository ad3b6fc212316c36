import { z } from 'zod';
import { parseDateTime, parseEpochMs } from './timestamp.ts';

/** Canonical event schema v1 (../shared/spec/events.md): the single source of truth for every reader. */
export const SCHEMA_VERSION = 1;

export const EVENT_TYPES = [
  'conversation_started',
  'user_message',
  'bot_message',
  'handoff',
  'resolved',
  'conversation_ended',
  'timeout',
  'feedback',
  'error',
  'tool_call',
  'retrieval',
  'task',
  'goal',
  'review',
  'health_check',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'timestamp' | 'type';

/** Every canonical field in export order, with the kind the readers parse its cells as. */
export const EVENT_FIELDS = {
  event_id: 'string',
  ts: 'timestamp',
  conversation_id: 'string',
  type: 'type',
  user_id: 'string',
  channel: 'string',
  entry_point: 'string',
  intent: 'string',
  language: 'string',
  device: 'string',
  user_type: 'string',
  model_version: 'string',
  kb_version: 'string',
  prompt_version: 'string',
  latency_ms: 'number',
  tokens_in: 'integer',
  tokens_out: 'integer',
  cost_usd: 'number',
  fallback: 'boolean',
  correction: 'boolean',
  success: 'boolean',
  name: 'string',
  score: 'number',
  scale_max: 'number',
  error_code: 'string',
  text: 'string',
} as const satisfies Record<string, FieldKind>;

export type FieldName = keyof typeof EVENT_FIELDS;
export const FIELD_NAMES = Object.keys(EVENT_FIELDS) as FieldName[];

/** The conversation dimensions of events.md, in the order segments list them. */
export const DIMENSION_FIELDS = [
  'channel',
  'entry_point',
  'intent',
  'language',
  'device',
  'user_type',
  'model_version',
  'kb_version',
  'prompt_version',
] as const;
export type DimensionField = (typeof DIMENSION_FIELDS)[number];

export interface LowerBound {
  value: number;
  inclusive: boolean;
}

/** The lower bound of each numeric field that has one (events.md "Ranges"), for the zod schema and its SQL twin. */
export const LOWER_BOUNDS: Partial<Record<FieldName, LowerBound>> = {
  latency_ms: { value: 0, inclusive: true },
  tokens_in: { value: 0, inclusive: true },
  tokens_out: { value: 0, inclusive: true },
  cost_usd: { value: 0, inclusive: true },
  scale_max: { value: 0, inclusive: false },
};

export const REQUIRED_SUCCESS: readonly EventType[] = ['task', 'tool_call', 'retrieval', 'review', 'health_check'];
export const REQUIRED_NAME: readonly EventType[] = ['task', 'tool_call', 'error', 'goal'];

const describe = (value: unknown): string =>
  typeof value === 'string'
    ? `string ${JSON.stringify(value)}`
    : value === undefined
      ? 'nothing'
      : typeof value === 'number'
        ? `number ${value}` // JSON.stringify would print Infinity (a CSV cell 1e999) as null
        : `${typeof value} ${JSON.stringify(value)}`;

const missingOr = (expected: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? 'missing (required)' : `expected ${expected}, got ${describe(issue.input)}`;

const text = (required = false) => {
  const s = z.string({ error: missingOr('a string') });
  return required ? s : s.optional();
};
const bounded = (n: z.ZodNumber, min: LowerBound) =>
  min.inclusive ? n.min(min.value, { error: `must be ≥ ${min.value}` }) : n.gt(min.value, { error: `must be > ${min.value}` });
const number = (min?: LowerBound) => {
  const n = z.number({ error: missingOr('a number') });
  return (min ? bounded(n, min) : n).optional();
};
// Any whole number (events.md: "an integer field takes any number whose parsed value is whole"); zod's .int()
// would also refuse whole numbers past 2^53.
const integer = (min: LowerBound) =>
  bounded(z.number({ error: missingOr('a number') }).refine(Number.isInteger, { error: (i) => `expected a whole number, got ${JSON.stringify(i.input)}` }), min)
    .optional()
    .meta({ type: 'integer' });
const flag = () => z.boolean({ error: missingOr('true or false') }).optional();

/** `ts` as exported: an RFC 3339 string or epoch milliseconds; parsed to whole epoch milliseconds. */
export const timestampSchema = z
  .union([z.string(), z.number()], { error: missingOr('an RFC 3339 date-time with offset or epoch milliseconds') })
  .transform((value, ctx) => {
    const parsed = typeof value === 'number' ? parseEpochMs(value) : parseDateTime(value);
    if (parsed.ok) return parsed.ms;
    ctx.issues.push({ code: 'custom', message: parsed.reason, input: value });
    return z.NEVER;
  });

/**
 * One event as written in NDJSON (JSON types must match); CSV and Parquet readers turn their cells into these
 * JSON values first. Missing values (absent, null, "") are removed by the readers before this runs.
 */
export const eventSchema = z
  .object({
    event_id: text(true),
    ts: timestampSchema,
    conversation_id: text(),
    type: z.enum(EVENT_TYPES, { error: (i) => (i.input === undefined ? 'missing (required)' : `unknown value ${JSON.stringify(i.input)}`) }),
    user_id: text(),
    channel: text(),
    entry_point: text(),
    intent: text(),
    language: text(),
    device: text(),
    user_type: text(),
    model_version: text(),
    kb_version: text(),
    prompt_version: text(),
    latency_ms: number(LOWER_BOUNDS.latency_ms),
    tokens_in: integer(LOWER_BOUNDS.tokens_in!),
    tokens_out: integer(LOWER_BOUNDS.tokens_out!),
    cost_usd: number(LOWER_BOUNDS.cost_usd),
    fallback: flag(),
    correction: flag(),
    success: flag(),
    name: text(),
    score: number(),
    scale_max: number(LOWER_BOUNDS.scale_max),
    error_code: text(),
    text: text(),
  })
  .superRefine((e, ctx) => {
    const need = (field: FieldName, why: string) =>
      ctx.addIssue({ code: 'custom', path: [field], message: `missing (required on ${why})`, input: undefined });
    if (e.type !== 'health_check' && e.conversation_id === undefined) need('conversation_id', 'every event but health_check');
    if (REQUIRED_SUCCESS.includes(e.type) && e.success === undefined) need('success', `type ${e.type}`);
    if (REQUIRED_NAME.includes(e.type) && e.name === undefined) need('name', `type ${e.type}`);
    if (e.type === 'feedback') {
      if (e.score === undefined) need('score', 'type feedback');
      if (e.scale_max === undefined) need('scale_max', 'type feedback');
    }
    if (e.score !== undefined && e.scale_max !== undefined && (e.score < 0 || e.score > e.scale_max)) {
      ctx.addIssue({ code: 'custom', path: ['score'], message: `must be between 0 and scale_max (${e.scale_max}), got ${e.score}`, input: e.score });
    }
  });

/** A validated event: `ts` is whole epoch milliseconds; absent fields are missing. */
export type CanonicalEvent = z.output<typeof eventSchema>;

export type ValidationResult = { ok: true; event: CanonicalEvent } | { ok: false; reason: string };

const EVENT_TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES);

/**
 * The event zod would give for a candidate that plainly passes every rule above, checked from the same tables in
 * a few comparisons (zod costs about a microsecond per row, a share of every import); undefined for anything else,
 * including values zod may take a view on (null, undefined, unknown keys), which zod then decides with its reason.
 * test/data/schema.test.ts holds the two to the same results.
 */
function plainlyValid(candidate: Record<string, unknown>): CanonicalEvent | undefined {
  let ts: number | undefined;
  for (const key in candidate) {
    const value = candidate[key];
    const kind = (EVENT_FIELDS as Record<string, FieldKind>)[key];
    if (kind === undefined) return undefined;
    switch (kind) {
      case 'string':
        if (typeof value !== 'string') return undefined;
        break;
      case 'type':
        if (typeof value !== 'string' || !EVENT_TYPE_SET.has(value)) return undefined;
        break;
      case 'boolean':
        if (typeof value !== 'boolean') return undefined;
        break;
      case 'number':
      case 'integer': {
        if (typeof value !== 'number' || !Number.isFinite(value) || (kind === 'integer' && !Number.isInteger(value))) return undefined;
        const min = LOWER_BOUNDS[key as FieldName];
        if (min && (min.inclusive ? value < min.value : value <= min.value)) return undefined;
        break;
      }
      case 'timestamp': {
        const parsed = typeof value === 'number' ? parseEpochMs(value) : typeof value === 'string' ? parseDateTime(value) : undefined;
        if (!parsed?.ok) return undefined;
        ts = parsed.ms;
        break;
      }
    }
  }
  const e = candidate as Partial<Record<FieldName, unknown>>;
  const type = e.type as EventType | undefined;
  if (type === undefined || e.event_id === undefined || ts === undefined) return undefined;
  if (type !== 'health_check' && e.conversation_id === undefined) return undefined;
  if (REQUIRED_SUCCESS.includes(type) && e.success === undefined) return undefined;
  if (REQUIRED_NAME.includes(type) && e.name === undefined) return undefined;
  if (type === 'feedback' && (e.score === undefined || e.scale_max === undefined)) return undefined;
  if (e.score !== undefined && e.scale_max !== undefined && ((e.score as number) < 0 || (e.score as number) > (e.scale_max as number))) return undefined;
  candidate.ts = ts;
  return candidate as CanonicalEvent;
}

/** Validates one event whose missing values were already removed; the candidate is the caller's to give up (it may become the event). */
export function validateEvent(candidate: Record<string, unknown>): ValidationResult {
  if (candidate.type === 'health_check') delete candidate.conversation_id;
  const plain = plainlyValid(candidate);
  if (plain) return { ok: true, event: plain };
  return zodValidation(candidate);
}

/** What the zod schema alone says of a candidate (exported for the test of plainlyValid). */
export function zodValidation(candidate: Record<string, unknown>): ValidationResult {
  const result = eventSchema.safeParse(candidate);
  if (result.success) return { ok: true, event: result.data };
  const reason = result.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ');
  return { ok: false, reason };
}

/** The JSON Schema of one NDJSON event, for whoever writes a team's export. */
export function eventJsonSchema(): object {
  return {
    ...z.toJSONSchema(eventSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'kpi-review canonical chatbot event (v1)',
    description: 'One row of an event export. See the README and events.md for the value rules and cross-field requirements.',
  };
}
