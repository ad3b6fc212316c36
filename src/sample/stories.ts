/**
 * What happens in the bundled sample export, and when. Every date is a UTC calendar day; a change takes effect
 * for conversations that start at or after 00:00 UTC on that day. Annotations and reviews of the demo site can
 * be written from these constants.
 */

/** The default first month and length of the sample: 2025-12 … 2026-11. */
export const SAMPLE_START = '2025-12';
export const SAMPLE_MONTHS = 12;
export const SAMPLE_CONVERSATIONS = 50_000;
export const SAMPLE_SEED = 20_251_201;

/** The dates of the sample's stories (YYYY-MM-DD, UTC). */
export const STORY_DATES = {
  /** Routine knowledge-base refresh (no visible effect; shows a kb_version change that is harmless). */
  kbRefresh: '2026-02-02',
  /** LLM gateway outage for part of the day: errors, fallbacks and two failed health checks. */
  gatewayIncident: '2026-02-17',
  /** Story 1: new model version; the fallback rate of the billing intent (only) rises. */
  modelChange: '2026-03-10',
  /** Story 2: new knowledge-base version with a slower re-ranker; p90/p95 latency regress. */
  latencyRegression: '2026-05-05',
  /** Story 2: the fix (a patched knowledge-base version); latency back to normal. */
  latencyFix: '2026-06-02',
  /** WhatsApp channel launched. */
  whatsappLaunch: '2026-06-08',
  /** Story 3: routing/prompt change that makes a handoff harder: containment up, abandonment up, satisfaction down. */
  routingChange: '2026-07-01',
  /** Story 4: more verbose prompt set: more tokens_out and cost per bot answer. */
  verbosePrompt: '2026-09-01',
} as const;

/** The gateway outage window (UTC instants): the health checks at 12:00 and 18:00 fail. */
export const GATEWAY_INCIDENT = { start: '2026-02-17T11:40:00Z', end: '2026-02-17T18:25:00Z' } as const;

export const MODEL_VERSIONS = { before: 'chat-model-2025-09', after: 'chat-model-2026-03' } as const;

/** Knowledge-base versions in force from each date (the first applies from the start of the data). */
export const KB_VERSIONS: readonly { from: string; version: string }[] = [
  { from: '0000-01-01', version: 'kb-2025.11' },
  { from: STORY_DATES.kbRefresh, version: 'kb-2026.02' },
  { from: STORY_DATES.latencyRegression, version: 'kb-2026.05' },
  { from: STORY_DATES.latencyFix, version: 'kb-2026.05.1' },
];

/** The knowledge-base version whose re-ranker is slow (story 2). */
export const SLOW_KB_VERSION = 'kb-2026.05';

/** Prompt set / routing policy versions in force from each date. */
export const PROMPT_VERSIONS: readonly { from: string; version: string }[] = [
  { from: '0000-01-01', version: 'support-v12' },
  { from: STORY_DATES.routingChange, version: 'support-v13' },
  { from: STORY_DATES.verbosePrompt, version: 'support-v14' },
];

export interface SampleStory {
  id: string;
  /** YYYY-MM-DD (UTC) when it starts. */
  date: string;
  /** YYYY-MM-DD (UTC) when it ends, if it does. */
  until?: string;
  title: string;
  /** What changed, as a dimension and its values where one exists. */
  change: string;
  /** Where the effect shows. */
  effect: string;
  /** KPI ids that move. */
  kpis: readonly string[];
}

/** The stories, in date order, written for annotations. */
export const SAMPLE_STORIES: readonly SampleStory[] = [
  {
    id: 'gateway-incident',
    date: STORY_DATES.gatewayIncident,
    title: 'LLM gateway outage',
    change: 'llm_gateway errors between 11:40 and 18:25 UTC',
    effect: 'error spike, two failed health checks, more fallbacks that afternoon',
    kpis: ['error_count', 'error_conversation_rate', 'availability', 'fallback_rate'],
  },
  {
    id: 'model-change',
    date: STORY_DATES.modelChange,
    title: 'Model switched to chat-model-2026-03',
    change: `model_version: ${MODEL_VERSIONS.before} → ${MODEL_VERSIONS.after}`,
    effect: 'fallback rate of the billing intent roughly triples; other intents unchanged',
    kpis: ['fallback_rate', 'fallback_conversation_rate', 'resolution_rate'],
  },
  {
    id: 'latency-regression',
    date: STORY_DATES.latencyRegression,
    until: STORY_DATES.latencyFix,
    title: 'Knowledge base kb-2026.05 with a slower re-ranker',
    change: 'kb_version: kb-2026.02 → kb-2026.05 (fixed by kb-2026.05.1)',
    effect: 'p90/p95 latency of answers that use retrieval jump for four weeks; more timeouts',
    kpis: ['latency_p90_ms', 'latency_p95_ms', 'latency_p99_ms', 'latency_mean_ms', 'timeout_rate'],
  },
  {
    id: 'whatsapp-launch',
    date: STORY_DATES.whatsappLaunch,
    title: 'WhatsApp channel launched',
    change: 'channel: whatsapp',
    effect: 'extra volume ramping up over four weeks',
    kpis: ['conversations'],
  },
  {
    id: 'routing-change',
    date: STORY_DATES.routingChange,
    title: 'Routing policy support-v13: handoff only after repeated requests',
    change: 'prompt_version: support-v12 → support-v13',
    effect: 'containment rises and escalation falls, while abandonment rises and satisfaction falls',
    kpis: ['containment_rate', 'escalation_rate', 'abandonment_rate', 'satisfaction_rate'],
  },
  {
    id: 'verbose-prompt',
    date: STORY_DATES.verbosePrompt,
    title: 'Prompt set support-v14: longer, more verbose answers',
    change: 'prompt_version: support-v13 → support-v14',
    effect: 'tokens_out per answer about doubles; cost per conversation and per resolution up about 50%',
    kpis: ['tokens_per_conversation', 'cost_per_conversation_usd', 'cost_per_resolved_usd', 'total_cost_usd'],
  },
];

/** Model prices used for `cost_usd` (USD per million tokens). */
export const PRICE_PER_MTOK = { in: 2.5, out: 10 } as const;
