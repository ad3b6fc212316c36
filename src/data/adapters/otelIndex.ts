import { attribute, classifySpan, fieldKeys, text, type Contexts, type Span, type SpanContext } from './otel.ts';
import type { OtelOptions } from './options.ts';

/**
 * What an OpenTelemetry file says of each trace, learnt from all its spans: the trace's conversation (the
 * highest-priority conversation key found on any of its spans, else the trace id), the values its spans share
 * (user id, dimensions) and its earliest mapped span, which starts the conversation when it is the earliest of
 * the conversation's traces. Memory grows with the number of traces, not with the size of the file.
 *
 * otelReader learns them from a whole file; src/data/otelIngest.ts learns them per chunk in its workers and
 * joins the chunks' facts in SQL, by the same rules.
 */
export interface TraceFacts {
  /** The value of the highest-priority conversation key seen on the trace's spans (the first such span's). */
  conv?: string;
  /** That key's rank in the options' conversation keys (Infinity when none was seen). */
  rank: number;
  /** Field values (user id, dimensions) the trace's spans share: the first span's value of each. */
  values?: Record<string, string>;
  /** The earliest span of the trace that maps to an event: by start, then span id; its first copy in the file. */
  firstStart?: bigint;
  firstSpan?: string;
  /** Where that span was read, when the reader needs it to build the conversation's start itself. */
  origin?: SpanOrigin;
}

/** Where a trace's earliest mapped span was read and what it carries itself. */
export interface SpanOrigin {
  /** The span's record ordinal (1-based), and the slot its conversation_started event takes there (see Tally). */
  rec: number;
  slot: number;
  /** The span's own field values (see ownFields). */
  own: Record<string, string>;
  /** The span as read, for the quarantine should the conversation_started event built from it fail validation. */
  raw: unknown;
}

/** Whether a span starting at `start` with key `span` comes before one at `thanStart`, `thanSpan`: by start, then key. */
const earlier = (start: bigint, span: string, thanStart: bigint, thanSpan: string) => start < thanStart || (start === thanStart && span < thanSpan);

/** Learns the facts of the traces of spans given in file order. */
export class TraceFactsBuilder {
  readonly traces = new Map<string, TraceFacts>();
  private readonly pool = new Map<string, string>();
  private readonly options: OtelOptions;
  private readonly fields: [string, readonly string[]][];
  constructor(options: OtelOptions) {
    this.options = options;
    this.fields = fieldKeys(options);
  }

  /** Repeated strings (a conversation id on every span of its traces) are kept once. */
  private intern(s: string): string {
    const shared = this.pool.get(s);
    if (shared !== undefined) return shared;
    this.pool.set(s, s);
    return s;
  }

  private facts(traceId: string): TraceFacts {
    let facts = this.traces.get(traceId);
    if (!facts) this.traces.set(traceId, (facts = { rank: Number.POSITIVE_INFINITY }));
    return facts;
  }

  /**
   * Adds a span. Returns its trace's facts when the span becomes the trace's earliest mapped span, for a caller
   * that notes where it was read (`origin`). `mapped`: whether the span maps to events, when the caller knows.
   */
  add(span: Span, mapped?: boolean): TraceFacts | undefined {
    const traceId = span.traceId;
    if (!traceId) return undefined;
    // The trace's facts are made only when the span has something to record.
    let facts: TraceFacts | undefined;
    const keys = this.options.conversation_id_keys;
    for (let rank = 0; rank < keys.length; rank++) {
      const v = text(span.attributes[keys[rank]] ?? span.resource[keys[rank]]);
      if (v === undefined) continue;
      facts ??= this.facts(traceId);
      if (rank < facts.rank) {
        facts.conv = this.intern(v);
        facts.rank = rank;
      }
      break;
    }
    for (const [field, keys] of this.fields) {
      const v = text(attribute(span, keys));
      if (v === undefined) continue;
      facts ??= this.facts(traceId);
      facts.values ??= {};
      facts.values[field] ??= this.intern(v);
    }
    const { start, spanId } = span;
    if (!spanId || start === undefined || !(mapped ?? !('skip' in classifySpan(span, this.options)))) return undefined;
    facts ??= this.facts(traceId);
    if (facts.firstStart !== undefined && !earlier(start, spanId, facts.firstStart, facts.firstSpan!)) return undefined;
    facts.firstStart = start;
    facts.firstSpan = spanId;
    facts.origin = undefined;
    return facts;
  }
}

/** The index of a whole file's facts: each span's context. */
export function otelIndex(traces: Map<string, TraceFacts>): Contexts {
  const conversationOf = (traceId: string) => traces.get(traceId)?.conv ?? traceId;
  const firsts = new Map<string, { traceId: string; spanId: string; start: bigint; given: boolean }>();
  for (const [traceId, facts] of traces) {
    if (facts.firstStart !== undefined) {
      const conversationId = conversationOf(traceId);
      const best = firsts.get(conversationId);
      if (!best || earlier(facts.firstStart, `${traceId}:${facts.firstSpan}`, best.start, `${best.traceId}:${best.spanId}`))
        firsts.set(conversationId, { traceId, spanId: facts.firstSpan!, start: facts.firstStart, given: false });
      facts.firstStart = facts.firstSpan = facts.origin = undefined;
    }
    // What the spans still to map need is only what a trace's spans share.
    if (facts.conv === undefined && facts.values === undefined) traces.delete(traceId);
  }
  return {
    conversationOf,
    context(span: Span): SpanContext {
      const traceId = span.traceId!;
      const facts = traces.get(traceId);
      const conversationId = facts?.conv ?? traceId;
      const best = firsts.get(conversationId);
      const first = best !== undefined && !best.given && best.traceId === traceId && best.spanId === span.spanId && best.start === span.start;
      if (first) best.given = true;
      return { conversationId, first, inherited: facts?.values ?? {} };
    },
  };
}

/** Builds the index of spans given in file order (for tests; the readers feed a TraceFactsBuilder themselves). */
export function buildIndex(spans: Iterable<Span>, options: OtelOptions): Contexts {
  const builder = new TraceFactsBuilder(options);
  for (const span of spans) builder.add(span);
  return otelIndex(builder.traces);
}
