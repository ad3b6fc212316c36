/**
 * A deliberately plain TypeScript reference of kpis.md, written without the engine's SQL or rollup: it walks the
 * kept events of a snapshot and computes every figure of every period (UTC only) and segment by hand.
 */
export interface Ev {
  event_id: string;
  ts: number;
  conversation_id: string | null;
  type: string;
  user_id: string | null;
  [field: string]: unknown;
}

const DIMS = ['channel', 'entry_point', 'intent', 'language', 'device', 'user_type', 'model_version', 'kb_version', 'prompt_version'];

interface Conv {
  id: string;
  start: number;
  events: Ev[];
  dims: Record<string, string>;
  user: string | null;
  outcome: 'resolved' | 'escalated' | 'abandoned';
  cohort: 'new' | 'returning' | 'anonymous';
}

export function labelOf(ms: number, cadence: 'week' | 'month' | 'quarter'): string {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  if (cadence === 'month') return `${y}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  if (cadence === 'quarter') return `${y}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
  const day = new Date(Date.UTC(y, d.getUTCMonth(), d.getUTCDate()));
  const dow = (day.getUTCDay() + 6) % 7;
  day.setUTCDate(day.getUTCDate() - dow + 3);
  const wy = day.getUTCFullYear();
  const firstThu = new Date(Date.UTC(wy, 0, 4));
  firstThu.setUTCDate(firstThu.getUTCDate() - ((firstThu.getUTCDay() + 6) % 7) + 3);
  return `${wy}-W${String(1 + Math.round((day.getTime() - firstThu.getTime()) / 604800000)).padStart(2, '0')}`;
}

function quantile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

const rate = (n: number, d: number) => (d === 0 ? null : n / d);
const byTsThenId = (a: Ev, b: Ev) => a.ts - b.ts || (Buffer.compare(Buffer.from(a.event_id), Buffer.from(b.event_id)));

export function conversationsOf(events: Ev[]): Conv[] {
  const groups = new Map<string, Ev[]>();
  for (const e of events) if (e.type !== 'health_check') groups.set(e.conversation_id!, [...(groups.get(e.conversation_id!) ?? []), e]);
  const convs: Conv[] = [];
  for (const [id, evs] of groups) {
    evs.sort(byTsThenId);
    const first = (field: string) => evs.find((e) => e[field] !== null && e[field] !== undefined)?.[field] as string | undefined;
    const resolvedAt = evs.find((e) => e.type === 'resolved')?.ts;
    const handoffs = evs.filter((e) => e.type === 'handoff');
    const outcome = resolvedAt !== undefined && !handoffs.some((h) => h.ts <= resolvedAt) ? 'resolved' : handoffs.length ? 'escalated' : 'abandoned';
    convs.push({ id, start: evs[0].ts, events: evs, user: first('user_id') ?? null, dims: Object.fromEntries(DIMS.map((d) => [d, first(d) ?? '(none)'])), outcome, cohort: 'new' });
  }
  const firstStart = new Map<string, number>();
  for (const c of convs) if (c.user !== null) firstStart.set(c.user, Math.min(firstStart.get(c.user) ?? Infinity, c.start));
  for (const c of convs) c.cohort = c.user === null ? 'anonymous' : c.start > firstStart.get(c.user)! ? 'returning' : 'new';
  return convs;
}

/** Every KPI of sections 1–5 but availability over a set of conversations. */
export function figuresOf(convs: Conv[], humanCost: number): Record<string, number | null> {
  const evs = convs.flatMap((c) => c.events);
  const of = (type: string) => evs.filter((e) => e.type === type);
  const users = new Set(convs.filter((c) => c.user !== null).map((c) => c.user));
  const returning = new Set(convs.filter((c) => c.cohort === 'returning').map((c) => c.user));
  const n = convs.length;
  const resolved = convs.filter((c) => c.outcome === 'resolved').length;
  const lat = of('bot_message').map((e) => e.latency_ms).filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);
  const withFeedback = convs.filter((c) => c.events.some((e) => e.type === 'feedback'));
  const satisfied = withFeedback.filter((c) => {
    const last = c.events.filter((e) => e.type === 'feedback').sort(byTsThenId).at(-1)!;
    return (last.score as number) / (last.scale_max as number) >= 0.8;
  }).length;
  const cost = evs.reduce((s, e) => s + ((e.cost_usd as number | null) ?? 0), 0);
  const tokens = evs.reduce((s, e) => s + ((e.tokens_in as number | null) ?? 0) + ((e.tokens_out as number | null) ?? 0), 0);
  const share = (pred: (c: Conv) => boolean) => rate(convs.filter(pred).length, n);
  const ok = (type: string, value = true) => of(type).filter((e) => e.success === value).length;
  return {
    conversations: n,
    unique_users: users.size,
    anonymous_conversations: convs.filter((c) => c.user === null).length,
    returning_users: returning.size,
    returning_user_rate: rate(returning.size, users.size),
    containment_rate: share((c) => !c.events.some((e) => e.type === 'handoff')),
    resolution_rate: rate(resolved, n),
    escalation_rate: share((c) => c.outcome === 'escalated'),
    abandonment_rate: share((c) => c.outcome === 'abandoned'),
    task_completion_rate: rate(ok('task'), of('task').length),
    fallback_rate: rate(of('bot_message').filter((e) => e.fallback === true).length, of('bot_message').length),
    fallback_conversation_rate: share((c) => c.events.some((e) => e.type === 'bot_message' && e.fallback === true)),
    retrieval_success_rate: rate(ok('retrieval'), of('retrieval').length),
    satisfaction_rate: rate(satisfied, withFeedback.length),
    feedback_response_rate: rate(withFeedback.length, n),
    correction_rate: rate(of('user_message').filter((e) => e.correction === true).length, of('user_message').length),
    review_pass_rate: rate(ok('review'), of('review').length),
    latency_mean_ms: lat.length ? lat.reduce((a, b) => a + b, 0) / lat.length : null,
    latency_p50_ms: quantile(lat, 0.5),
    latency_p90_ms: quantile(lat, 0.9),
    latency_p95_ms: quantile(lat, 0.95),
    latency_p99_ms: quantile(lat, 0.99),
    error_count: of('error').length,
    error_conversation_rate: share((c) => c.events.some((e) => e.type === 'error')),
    timeout_rate: share((c) => c.events.some((e) => e.type === 'timeout')),
    tool_failure_rate: rate(ok('tool_call', false), of('tool_call').length),
    total_cost_usd: cost,
    cost_per_conversation_usd: rate(cost, n),
    cost_per_resolved_usd: rate(cost, resolved),
    tokens_per_conversation: rate(tokens, n),
    deflection_value_usd: resolved * humanCost,
  };
}

export const REFERENCE_DIMENSIONS = [...DIMS, 'user_cohort'];

export function segmentOf(c: Conv, dimension: string): string {
  return dimension === 'user_cohort' ? c.cohort : c.dims[dimension];
}
