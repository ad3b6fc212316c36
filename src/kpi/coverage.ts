import { FIELD_GAPS, RECORDED_WHEN_ABSENT, type CoverageField } from '../data/adapters/gaps.ts';
import type { KpiId } from './registry.ts';

/**
 * What the sources can measure. A KPI whose source events never occur in any input (no `handoff` at all in an
 * OpenTelemetry-only export) is not 0% escalation: it is not measured, and the export says why. The figures
 * themselves do not change; `coverage` names only the KPIs that are not measured.
 */
export type Coverage = Partial<Record<KpiId, string>>;

/** One input as the manifest records it: its format and the kept events it provided, per type. */
export interface SourceCoverage {
  format: string;
  event_types: Record<string, number>;
}

/** An event type a KPI needs (`*`: any), and optionally a field on it that some formats never carry. */
interface Need {
  type: string;
  field?: CoverageField;
}

const need = (type: string, field?: CoverageField): Need => ({ type, field });

/** The KPIs whose figures depend on events or fields that a source may not provide at all. */
const NEEDS: Partial<Record<KpiId, Need[]>> = {
  containment_rate: [need('handoff')],
  escalation_rate: [need('handoff')],
  resolution_rate: [need('resolved')],
  abandonment_rate: [need('resolved'), need('handoff')],
  task_completion_rate: [need('task')],
  fallback_rate: [need('bot_message', 'fallback')],
  fallback_conversation_rate: [need('bot_message', 'fallback')],
  retrieval_success_rate: [need('retrieval')],
  satisfaction_rate: [need('feedback')],
  feedback_response_rate: [need('feedback')],
  correction_rate: [need('user_message', 'correction')],
  review_pass_rate: [need('review')],
  latency_mean_ms: [need('bot_message', 'latency_ms')],
  latency_p50_ms: [need('bot_message', 'latency_ms')],
  latency_p90_ms: [need('bot_message', 'latency_ms')],
  latency_p95_ms: [need('bot_message', 'latency_ms')],
  latency_p99_ms: [need('bot_message', 'latency_ms')],
  error_count: [need('error')],
  error_conversation_rate: [need('error')],
  timeout_rate: [need('timeout')],
  tool_failure_rate: [need('tool_call')],
  availability: [need('health_check')],
  total_cost_usd: [need('*', 'cost_usd')],
  cost_per_conversation_usd: [need('*', 'cost_usd')],
  cost_per_resolved_usd: [need('resolved'), need('*', 'cost_usd')],
  tokens_per_conversation: [need('*', 'tokens')],
  deflection_value_usd: [need('resolved')],
};

const total = (types: Record<string, number>) => Object.values(types).reduce((n, v) => n + v, 0);

/** Whether a source provides the need's events (or would record them if there were any). */
function hasType(source: SourceCoverage, type: string): boolean {
  if (type === '*') return total(source.event_types) > 0;
  return (source.event_types[type] ?? 0) > 0 || (total(source.event_types) > 0 && (RECORDED_WHEN_ABSENT[source.format] ?? []).includes(type));
}

/** Why a need is not met by any source, or undefined when one meets it. */
function unmet(sources: readonly SourceCoverage[], n: Need): { missingType: string } | { gaps: string[] } | undefined {
  const withType = sources.filter((s) => hasType(s, n.type));
  if (withType.length === 0) return { missingType: n.type };
  if (!n.field) return undefined;
  const gaps = withType.map((s) => FIELD_GAPS[s.format]?.[n.field!]);
  if (gaps.some((g) => g === undefined)) return undefined;
  return { gaps: [...new Set(gaps as string[])] };
}

/** The KPIs the sources cannot measure, each with the reason (pure: from the manifest's inputs). */
export function coverageOf(sources: readonly SourceCoverage[]): Coverage {
  const out: Coverage = {};
  for (const [kpi, needs] of Object.entries(NEEDS) as [KpiId, Need[]][]) {
    const reasons = needs.map((n) => unmet(sources, n)).filter((r) => r !== undefined);
    if (!reasons.length) continue;
    const types = reasons.flatMap((r) => ('missingType' in r && r.missingType !== '*' ? [r.missingType] : []));
    const parts: string[] = [];
    if (types.length) parts.push(`no ${types.join(' or ')} events in any input`);
    if (reasons.some((r) => 'missingType' in r && r.missingType === '*')) parts.push('no events in any input');
    for (const r of reasons) if ('gaps' in r) parts.push(...r.gaps);
    out[kpi] = parts.join('; ');
  }
  return out;
}

/**
 * Why goal rates cannot be measured: no input provides `goal` events at all (a configured headline goal would
 * otherwise read 0%). Goals are not registry KPIs, so this stands beside `coverage` rather than in it.
 */
export function goalCoverage(sources: readonly SourceCoverage[]): string | null {
  return sources.some((source) => hasType(source, 'goal')) ? null : 'no goal events in any input';
}
