import { DIMENSION_FIELDS } from '../data/schema.ts';

/**
 * The KPI registry: the single source of truth for every figure of ../shared/spec/kpis.md. Pages, the JSON and
 * CSV exports, the glossary and the MDX components read it; the engine builds its SQL from `sql`.
 */

export type Family = 'adoption' | 'containment' | 'quality' | 'reliability' | 'cost' | 'business';
export type Unit = 'count' | 'rate' | 'ms' | 'usd' | 'tokens';
export type Direction = 'up' | 'down' | 'neutral';

/** Where a KPI's aggregate is computed: over conversations, over bot answers' latencies, or over health checks. */
export type Source = 'conversations' | 'latency' | 'health';

export interface KpiDefinition {
  id: string;
  label: string;
  family: Family;
  unit: Unit;
  /** Which direction of movement is good for the bot. */
  good: Direction;
  /** One sentence for readers (glossary, tooltips). */
  definition: string;
  source: Source;
  /** Aggregate SQL over the source's rows (see src/kpi/sql.ts for the columns). */
  sql: string;
  /** The value of a period without conversations: 0 for counts and sums, null for everything else. */
  emptyValue: 0 | null;
}

export const FAMILIES: { id: Family; label: string; question: string }[] = [
  { id: 'adoption', label: 'Adoption', question: 'Are people using the bot, and by whom?' },
  { id: 'containment', label: 'Containment and resolution', question: 'Does the bot solve issues without a human?' },
  { id: 'quality', label: 'Answer quality', question: 'Are answers correct, useful and well received?' },
  { id: 'reliability', label: 'Reliability and performance', question: 'Does the bot respond consistently and fast?' },
  { id: 'cost', label: 'Cost and efficiency', question: 'What does each conversation or outcome cost?' },
  { id: 'business', label: 'Business impact', question: 'What does the bot change for the business?' },
];

/** num / den as a DOUBLE, NULL when the denominator is 0 (kpis.md: never 0 or NaN). */
export const ratio = (num: string, den: string): string => `CASE WHEN (${den}) = 0 THEN NULL ELSE (${num})::DOUBLE / (${den}) END`;

const conversationsCount = 'count(*)';
const resolvedCount = "count(*) FILTER (WHERE outcome = 'resolved')";

/** `human_contact_cost_usd` enters the SQL as a bound literal; see sql.ts. */
export const HUMAN_COST_PLACEHOLDER = '$human_contact_cost_usd';

function kpi(
  id: string,
  label: string,
  family: Family,
  unit: Unit,
  good: Direction,
  definition: string,
  sql: string,
  options: { source?: Source; emptyValue?: 0 | null } = {},
): KpiDefinition {
  return { id, label, family, unit, good, definition, sql, source: options.source ?? 'conversations', emptyValue: options.emptyValue ?? null };
}

/** The latency percentiles, computed by one list aggregate that every percentile KPI indexes (DuckDB computes it once). */
const LATENCY_PERCENTILES = [50, 90, 95, 99];
const latencyQuantiles = `quantile_cont(latency_ms, [${LATENCY_PERCENTILES.map((p) => p / 100).join(', ')}])`;

const percentile = (p: number) =>
  kpi(
    `latency_p${p}_ms`,
    `Latency p${p}`,
    'reliability',
    'ms',
    'down',
    `The ${p}th percentile of bot response time (linear interpolation), over answers that report one.`,
    `${latencyQuantiles}[${LATENCY_PERCENTILES.indexOf(p) + 1}]`,
    { source: 'latency' },
  );

export const KPIS = [
  kpi('conversations', 'Conversations', 'adoption', 'count', 'up', 'Conversations that started in the period.', conversationsCount, { emptyValue: 0 }),
  kpi('unique_users', 'Unique users', 'adoption', 'count', 'up', 'Distinct user ids among the period\'s conversations (anonymous ones not counted).', 'count(DISTINCT user_id)', { emptyValue: 0 }),
  kpi('anonymous_conversations', 'Anonymous conversations', 'adoption', 'count', 'neutral', 'Conversations without a user id.', 'count(*) FILTER (WHERE user_id IS NULL)', { emptyValue: 0 }),
  kpi('returning_users', 'Returning users', 'adoption', 'count', 'up', 'Users of the period who had a conversation that started strictly earlier, anywhere in the data.', "count(DISTINCT user_id) FILTER (WHERE user_cohort = 'returning')", { emptyValue: 0 }),
  kpi('returning_user_rate', 'Returning user rate', 'adoption', 'rate', 'up', 'Returning users as a share of unique users.', ratio("count(DISTINCT user_id) FILTER (WHERE user_cohort = 'returning')", 'count(DISTINCT user_id)')),
  kpi('containment_rate', 'Containment rate', 'containment', 'rate', 'up', 'Share of conversations with no handoff to a human.', ratio('count(*) FILTER (WHERE handoffs = 0)', conversationsCount)),
  kpi('resolution_rate', 'Resolution rate', 'containment', 'rate', 'up', 'Share of conversations resolved by the bot before any handoff.', ratio(resolvedCount, conversationsCount)),
  kpi('escalation_rate', 'Escalation rate', 'containment', 'rate', 'down', 'Share of conversations handed to a human and not resolved by the bot first.', ratio("count(*) FILTER (WHERE outcome = 'escalated')", conversationsCount)),
  kpi('abandonment_rate', 'Abandonment rate', 'containment', 'rate', 'down', 'Share of conversations neither resolved nor handed off.', ratio("count(*) FILTER (WHERE outcome = 'abandoned')", conversationsCount)),
  kpi('task_completion_rate', 'Task completion rate', 'containment', 'rate', 'up', 'Workflow attempts that completed, out of all attempts.', ratio('sum(task_successes)', 'sum(tasks)')),
  kpi('fallback_rate', 'Fallback rate', 'quality', 'rate', 'down', 'Bot answers that were a generic failure or below the confidence bar, out of all bot answers.', ratio('sum(fallback_answers)', 'sum(bot_messages)')),
  kpi('fallback_conversation_rate', 'Conversations with a fallback', 'quality', 'rate', 'down', 'Share of conversations with at least one fallback answer.', ratio('count(*) FILTER (WHERE fallback_answers > 0)', conversationsCount)),
  kpi('retrieval_success_rate', 'Retrieval success rate', 'quality', 'rate', 'up', 'Retrievals that found and used relevant sources, out of all retrievals.', ratio('sum(retrieval_successes)', 'sum(retrievals)')),
  kpi('satisfaction_rate', 'Satisfaction', 'quality', 'rate', 'up', 'Among conversations with feedback, the share whose last rating is at least 80% of its scale.', ratio('count(*) FILTER (WHERE last_feedback_ratio >= 0.8)', 'count(*) FILTER (WHERE feedback_events > 0)')),
  kpi('feedback_response_rate', 'Feedback response rate', 'quality', 'rate', 'up', 'Share of conversations with at least one feedback signal.', ratio('count(*) FILTER (WHERE feedback_events > 0)', conversationsCount)),
  kpi('correction_rate', 'Correction rate', 'quality', 'rate', 'down', 'User messages that rephrase, clarify or say the answer was wrong, out of all user messages.', ratio('sum(corrections)', 'sum(user_messages)')),
  kpi('review_pass_rate', 'Human review pass rate', 'quality', 'rate', 'up', 'Reviewed conversations judged accurate, safe and useful, out of all reviews.', ratio('sum(review_passes)', 'sum(reviews)')),
  kpi('latency_mean_ms', 'Latency (mean)', 'reliability', 'ms', 'down', 'Mean bot response time over answers that report one.', 'avg(latency_ms)', { source: 'latency' }),
  percentile(50),
  percentile(90),
  percentile(95),
  percentile(99),
  kpi('error_count', 'Errors', 'reliability', 'count', 'down', 'Failed API calls, model timeouts, middleware and webhook failures.', 'sum(errors)', { emptyValue: 0 }),
  kpi('error_conversation_rate', 'Conversations with an error', 'reliability', 'rate', 'down', 'Share of conversations with at least one error.', ratio('count(*) FILTER (WHERE errors > 0)', conversationsCount)),
  kpi('timeout_rate', 'Session timeout rate', 'reliability', 'rate', 'down', 'Share of conversations interrupted by an inactivity or channel limit.', ratio('count(*) FILTER (WHERE timeouts > 0)', conversationsCount)),
  kpi('tool_failure_rate', 'Tool failure rate', 'reliability', 'rate', 'down', 'Backend actions (CRM lookups, payments, bookings) that failed, out of all actions.', ratio('sum(tool_failures)', 'sum(tool_calls)')),
  kpi('availability', 'Availability', 'reliability', 'rate', 'up', 'Health checks of the bot service that found it up, out of all checks in the period.', ratio('count(*) FILTER (WHERE success)', 'count(*)'), { source: 'health' }),
  kpi('total_cost_usd', 'Total cost', 'cost', 'usd', 'down', 'Model and compute cost of all the period\'s conversations.', 'sum(cost_usd)', { emptyValue: 0 }),
  kpi('cost_per_conversation_usd', 'Cost per conversation', 'cost', 'usd', 'down', 'Total cost divided by conversations.', ratio('sum(cost_usd)', conversationsCount)),
  kpi('cost_per_resolved_usd', 'Cost per resolved conversation', 'cost', 'usd', 'down', 'Total cost divided by conversations the bot resolved.', ratio('sum(cost_usd)', resolvedCount)),
  kpi('tokens_per_conversation', 'Tokens per conversation', 'cost', 'tokens', 'neutral', 'Input plus output tokens per conversation.', ratio('sum(tokens)', conversationsCount)),
  kpi('deflection_value_usd', 'Human deflection value', 'cost', 'usd', 'up', 'Resolved conversations times the configured cost of one human contact.', `${resolvedCount} * ${HUMAN_COST_PLACEHOLDER}`, { emptyValue: 0 }),
] as const satisfies readonly KpiDefinition[];

export type KpiId = (typeof KPIS)[number]['id'];
export const KPI_IDS = KPIS.map((k) => k.id) as [KpiId, ...KpiId[]];

/** The KPIs computed again inside every segment value: sections 1–5 except availability. */
export const SEGMENT_KPIS = KPIS.filter((k) => k.id !== 'availability');

const byId = new Map<string, KpiDefinition>(KPIS.map((k) => [k.id, k]));
export function kpiById(id: string): KpiDefinition | undefined {
  return byId.get(id);
}

/** The goal rate of the business-impact family lives in the goal breakdown, keyed by goal name. */
export const GOAL_RATE: Omit<KpiDefinition, 'sql' | 'source' | 'emptyValue'> = {
  id: 'goal_rate',
  label: 'Goal rate',
  family: 'business',
  unit: 'rate',
  good: 'up',
  definition: 'Share of conversations with at least one event of the business goal (per goal name).',
};

/** The segment dimensions: the events' conversation dimensions, then the derived user cohort. */
export const DIMENSIONS = [...DIMENSION_FIELDS, 'user_cohort'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const BREAKDOWNS = ['task', 'tool', 'integration', 'goal'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

/** The label segments use for a missing dimension value. */
export const NONE_SEGMENT = '(none)';
