import { sqlString } from '../db/connection.ts';
import { periodLabelSql, type Cadence } from './periods.ts';
import { DIMENSIONS, HUMAN_COST_PLACEHOLDER, KPIS, NONE_SEGMENT, type KpiDefinition, type Source } from './registry.ts';

/**
 * The SQL of the engine. Three passes per cadence, each over all periods at once and grouped by period and by
 * period × each dimension (GROUPING SETS): conversation KPIs over the rollup, latency KPIs over bot answers,
 * and breakdowns over events; availability over health checks.
 */

/** Table `conv`: every conversation with its user cohort (judged against the whole data) and dimensions with `(none)`. */
export function conversationsTableSql(files: string[]): string {
  const dims = DIMENSIONS.filter((d) => d !== 'user_cohort')
    .map((d) => `coalesce(${d}, ${sqlString(NONE_SEGMENT)}) AS ${d}`)
    .join(', ');
  return `CREATE OR REPLACE TABLE conv AS
    SELECT * EXCLUDE (${DIMENSIONS.filter((d) => d !== 'user_cohort').join(', ')}), ${dims},
      CASE WHEN user_id IS NULL THEN 'anonymous'
           WHEN start_ts > min(start_ts) OVER (PARTITION BY user_id) THEN 'returning'
           ELSE 'new' END AS user_cohort
    FROM read_parquet([${files.map(sqlString).join(', ')}])`;
}

/** Table `ev`: the events a pass needs (latency, breakdown names, health checks), from the month files. */
export function eventsTableSql(files: string[]): string {
  return `CREATE OR REPLACE TABLE ev AS
    SELECT conversation_id, ts, type, latency_ms, name, success
    FROM read_parquet([${files.map(sqlString).join(', ')}])
    WHERE (type = 'bot_message' AND latency_ms IS NOT NULL) OR type IN ('task', 'tool_call', 'error', 'goal', 'health_check')`;
}

function kpiColumns(kpis: readonly KpiDefinition[], humanCost: number | null): string {
  const cost = humanCost === null ? 'NULL::DOUBLE' : `${Number(humanCost)}::DOUBLE`;
  return kpis.map((k) => `(${k.sql.replaceAll(HUMAN_COST_PLACEHOLDER, cost)})::DOUBLE AS ${k.id}`).join(',\n      ');
}

const groupingSets = (): string => ['(period)', ...DIMENSIONS.map((d) => `(period, ${d})`)].join(', ');

const dimensionColumns = (): string =>
  `CASE ${DIMENSIONS.map((d) => `WHEN GROUPING(${d}) = 0 THEN '${d}'`).join(' ')} END AS dimension,
      coalesce(${DIMENSIONS.join(', ')}) AS segment`;

const kpisOf = (source: Source) => KPIS.filter((k) => k.source === source);

/** Restricts a pass to some periods (the ones the cache does not hold). */
const onlyPeriods = (labels: string[]): string => `WHERE period IN (${labels.map(sqlString).join(', ')})`;

/** Conversation KPIs per period and per period × dimension value. */
export function conversationKpisSql(cadence: Cadence, timezone: string, humanCost: number | null, only: string[]): string {
  return `
    SELECT period, ${dimensionColumns()},
      ${kpiColumns(kpisOf('conversations'), humanCost)}
    FROM (SELECT *, ${periodLabelSql('start_ts', cadence, sqlString(timezone))} AS period FROM conv)
    ${onlyPeriods(only)}
    GROUP BY GROUPING SETS (${groupingSets()})`;
}

/** Latency KPIs over bot answers with a latency, grouped like the conversation KPIs. */
export function latencyKpisSql(cadence: Cadence, timezone: string, only: string[]): string {
  return `
    SELECT period, ${dimensionColumns()},
      ${kpiColumns(kpisOf('latency'), null)}
    FROM (
      SELECT e.latency_ms, c.*, ${periodLabelSql('c.start_ts', cadence, sqlString(timezone))} AS period
      FROM ev e JOIN conv c USING (conversation_id)
      WHERE e.type = 'bot_message')
    ${onlyPeriods(only)}
    GROUP BY GROUPING SETS (${groupingSets()})`;
}

/** Availability per period of the health checks' own timestamps. */
export function availabilitySql(cadence: Cadence, timezone: string, only: string[]): string {
  return `
    SELECT period, ${kpiColumns(kpisOf('health'), null)}
    FROM (SELECT *, ${periodLabelSql('ts', cadence, sqlString(timezone))} AS period FROM ev WHERE type = 'health_check')
    ${onlyPeriods(only)}
    GROUP BY period`;
}

/** Event breakdowns (task, tool, integration, goal) per period and name. */
export function breakdownsSql(cadence: Cadence, timezone: string, only: string[]): string {
  return `
    SELECT period, type, name, count(*)::DOUBLE AS count,
      count(*) FILTER (WHERE success)::DOUBLE AS successes,
      count(*) FILTER (WHERE NOT success)::DOUBLE AS failures,
      count(DISTINCT conversation_id)::DOUBLE AS conversations
    FROM (
      SELECT e.*, ${periodLabelSql('c.start_ts', cadence, sqlString(timezone))} AS period
      FROM ev e JOIN conv c USING (conversation_id)
      WHERE e.type IN ('task', 'tool_call', 'error', 'goal'))
    ${onlyPeriods(only)}
    GROUP BY period, type, name`;
}
