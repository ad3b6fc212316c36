import { DIMENSION_FIELDS } from './schema.ts';

const dimension = (field: string) => `arg_min(${field}, (ts, event_id)) FILTER (WHERE ${field} IS NOT NULL) AS ${field}`;

/**
 * One row per conversation of `events` (health checks excluded): its start, end, outcome, dimensions, and the
 * counts and sums the KPIs need. The outcome rule is kpis.md "Conversation outcome".
 */
export function rollupSql(events: string): string {
  return `
    WITH per_conversation AS (
      SELECT
        conversation_id,
        min(ts) AS start_ts,
        max(ts) AS end_ts,
        ${dimension('user_id')},
        ${DIMENSION_FIELDS.map(dimension).join(',\n        ')},
        count(*)::INTEGER AS events,
        count(*) FILTER (WHERE type = 'user_message')::INTEGER AS user_messages,
        count(*) FILTER (WHERE type = 'user_message' AND correction)::INTEGER AS corrections,
        count(*) FILTER (WHERE type = 'bot_message')::INTEGER AS bot_messages,
        count(*) FILTER (WHERE type = 'bot_message' AND fallback)::INTEGER AS fallback_answers,
        count(*) FILTER (WHERE type = 'handoff')::INTEGER AS handoffs,
        min(ts) FILTER (WHERE type = 'resolved') AS first_resolved_ts,
        min(ts) FILTER (WHERE type = 'handoff') AS first_handoff_ts,
        count(*) FILTER (WHERE type = 'feedback')::INTEGER AS feedback_events,
        arg_max(score / scale_max, (ts, event_id)) FILTER (WHERE type = 'feedback') AS last_feedback_ratio,
        count(*) FILTER (WHERE type = 'error')::INTEGER AS errors,
        count(*) FILTER (WHERE type = 'timeout')::INTEGER AS timeouts,
        count(*) FILTER (WHERE type = 'tool_call')::INTEGER AS tool_calls,
        count(*) FILTER (WHERE type = 'tool_call' AND NOT success)::INTEGER AS tool_failures,
        count(*) FILTER (WHERE type = 'retrieval')::INTEGER AS retrievals,
        count(*) FILTER (WHERE type = 'retrieval' AND success)::INTEGER AS retrieval_successes,
        count(*) FILTER (WHERE type = 'task')::INTEGER AS tasks,
        count(*) FILTER (WHERE type = 'task' AND success)::INTEGER AS task_successes,
        count(*) FILTER (WHERE type = 'review')::INTEGER AS reviews,
        count(*) FILTER (WHERE type = 'review' AND success)::INTEGER AS review_passes,
        count(*) FILTER (WHERE type = 'goal')::INTEGER AS goals,
        -- An exact (DECIMAL) sum: a sum of DOUBLEs depends on how rows are split between threads, and the
        -- snapshots must be byte-identical on every run.
        coalesce(sum(cost_usd::DECIMAL(38, 18)), 0)::DOUBLE AS cost_usd,
        coalesce(sum(coalesce(tokens_in, 0) + coalesce(tokens_out, 0)), 0)::DOUBLE AS tokens
      FROM ${events}
      WHERE type <> 'health_check'
      GROUP BY conversation_id
    )
    SELECT *,
      CASE
        WHEN first_resolved_ts IS NOT NULL AND (first_handoff_ts IS NULL OR first_handoff_ts > first_resolved_ts) THEN 'resolved'
        WHEN handoffs > 0 THEN 'escalated'
        ELSE 'abandoned'
      END AS outcome
    FROM per_conversation`;
}
