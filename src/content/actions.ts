import { changeOf, type Change } from '../kpi/change.ts';
import { kpiById, type KpiId } from '../kpi/registry.ts';
import type { PeriodDocument } from '../kpi/results.ts';
import { parseSegment, type Action, type SegmentScope } from './schema.ts';

export type Verdict = 'met' | 'not met' | 'too early';

export interface ActionOutcome {
  action: Action;
  segment: SegmentScope | null;
  /** The KPI in the reviewed period (when the action was set) and in the period after it. */
  before: number | null;
  after: number | null;
  change: Change;
  verdict: Verdict;
  /** Why, in words, with the numbers' meaning: "down 2.1 points, expected down 3 points or more". */
  reason: string;
}

function valueOf(doc: PeriodDocument, kpi: KpiId, segment: SegmentScope | null): number | null {
  if (!segment) return doc.kpis[kpi];
  if (kpi === 'availability') return null;
  const figures = Object.hasOwn(doc.segments[segment.dimension], segment.value) ? doc.segments[segment.dimension][segment.value] : undefined;
  return figures ? figures[kpi] : null;
}

const points = (delta: number) => `${(Math.abs(delta) * 100).toFixed(1)} points`;
const percent = (relative: number) => `${(Math.abs(relative) * 100).toFixed(1)}%`;

/**
 * What happened to an action's KPI (in its segment, if given) between the period whose review set it and the
 * next one: met when it moved the expected way (by at least the expected size, in points or percent), not met
 * otherwise, too early while the next period has no figure yet or is still filling.
 */
export function actionOutcome(action: Action, reviewed: PeriodDocument, next: PeriodDocument | null): ActionOutcome {
  const segment = action.expected.segment ? parseSegment(action.expected.segment)! : null;
  const kpi = action.kpi as KpiId;
  const before = valueOf(reviewed, kpi, segment);
  const after = next ? valueOf(next, kpi, segment) : null;
  const change = changeOf(after, before);
  const base = { action, segment, before, after, change };
  const { direction, size, unit } = action.expected;
  const wanted = `expected ${direction}${size !== undefined ? ` ${size} ${unit === 'pp' ? 'points' : '%'} or more` : ''}`;
  if (!next || after === null) return { ...base, verdict: 'too early', reason: `no data yet for the next ${reviewed.cadence}` };
  if (before === null) return { ...base, verdict: 'too early', reason: `no figure for ${reviewed.period} to compare with` };
  const delta = change.delta!;
  const moved = direction === 'up' ? delta > 0 : delta < 0;
  const isRate = kpiById(kpi)?.unit === 'rate';
  const amount = unit === 'percent' || (!unit && !isRate) ? (change.relative === null ? null : Math.abs(change.relative) * 100) : Math.abs(delta) * 100;
  const movedText = delta === 0 ? 'unchanged' : `${delta > 0 ? 'up' : 'down'} ${unit === 'percent' || (!unit && !isRate) ? (change.relative === null ? 'from 0' : percent(change.relative)) : points(delta)}`;
  const met = moved && (size === undefined || (amount !== null && amount >= size));
  if (next.partial && !met) return { ...base, verdict: 'too early', reason: `${movedText} so far, ${wanted}; ${next.period} is still filling` };
  return { ...base, verdict: met ? 'met' : 'not met', reason: `${movedText}, ${wanted}${next.partial ? ` (${next.period} is still filling)` : ''}` };
}
