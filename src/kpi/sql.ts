import { sqlString } from '../db/connection.ts';
import { periodBoundsSql, type Period } from './periods.ts';
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

/**
 * A pass labels rows with every period of the cadence (`all`: an ASOF join needs the whole, gapless range, or
 * a row past a missing bound would take the previous label) and keeps only the periods asked for (`only`).
 */
export interface PeriodPass {
  all: Period[];
  only: Period[];
}

/** The instants a pass covers: from the first asked period's start to the last one's end. */
const spanOf = (periods: Period[]) => ({ startMs: Math.min(...periods.map((p) => p.startMs)), endMs: Math.max(...periods.map((p) => p.endMs)) });

/** Restricts a pass to the periods asked for (the ones the cache does not hold). */
const onlyPeriods = (periods: Period[]): string => `WHERE period IN (${periods.map((p) => sqlString(p.label)).join(', ')})`;

/**
 * The conversations of the pass's span labelled with their period, for grouping and for joins with events.
 * Filtering to the span first keeps a pass over one new month from joining the whole history.
 */
function periodConversations(pass: PeriodPass): string {
  const { startMs, endMs } = spanOf(pass.only);
  return `(SELECT c.*, b.label AS period
    FROM (SELECT * FROM conv WHERE start_ts >= epoch_ms(${startMs}) AND start_ts < epoch_ms(${endMs})) c
    ASOF JOIN ${periodBoundsSql(pass.all)} b ON c.start_ts >= b.start_ts)`;
}

/** Conversation KPIs per period and per period × dimension value. */
export function conversationKpisSql(pass: PeriodPass, humanCost: number | null): string {
  return `
    SELECT period, ${dimensionColumns()},
      ${kpiColumns(kpisOf('conversations'), humanCost)}
    FROM ${periodConversations(pass)}
    ${onlyPeriods(pass.only)}
    GROUP BY GROUPING SETS (${groupingSets()})`;
}

/** Latency KPIs over bot answers with a latency, grouped like the conversation KPIs. */
export function latencyKpisSql(pass: PeriodPass): string {
  return `
    SELECT period, ${dimensionColumns()},
      ${kpiColumns(kpisOf('latency'), null)}
    FROM (
      SELECT e.latency_ms, c.*
      FROM ev e JOIN ${periodConversations(pass)} c USING (conversation_id)
      WHERE e.type = 'bot_message')
    ${onlyPeriods(pass.only)}
    GROUP BY GROUPING SETS (${groupingSets()})`;
}

/** Availability per period of the health checks' own timestamps. */
export function availabilitySql(pass: PeriodPass): string {
  return `
    SELECT period, ${kpiColumns(kpisOf('health'), null)}
    FROM (SELECT h.*, b.label AS period FROM (SELECT * FROM ev WHERE type = 'health_check') h ASOF JOIN ${periodBoundsSql(pass.all)} b ON h.ts >= b.start_ts)
    ${onlyPeriods(pass.only)}
    GROUP BY period`;
}

/** Event breakdowns (task, tool, integration, goal) per period and name. */
export function breakdownsSql(pass: PeriodPass): string {
  return `
    SELECT period, type, name, count(*)::DOUBLE AS count,
      count(*) FILTER (WHERE success)::DOUBLE AS successes,
      count(*) FILTER (WHERE NOT success)::DOUBLE AS failures,
      count(DISTINCT conversation_id)::DOUBLE AS conversations
    FROM (
      SELECT e.*, c.period
      FROM ev e JOIN ${periodConversations(pass)} c USING (conversation_id)
      WHERE e.type IN ('task', 'tool_call', 'error', 'goal'))
    ${onlyPeriods(pass.only)}
    GROUP BY period, type, name`;
}
