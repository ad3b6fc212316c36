import { SEGMENT_KPIS, type Dimension, type KpiId } from '../kpi/registry.ts';
import type { PeriodDocument, SegmentFigures } from '../kpi/results.ts';
import { ownEntry } from './order.ts';

export type SegmentKpiId = Exclude<KpiId, 'availability'>;

/**
 * The KPIs whose value over a group of conversations is the sum of its parts' values: counts and sums over
 * conversations. Distinct-user counts are not among them (one user can appear in several segment values), nor
 * are rates, means and percentiles.
 */
export const ADDITIVE_KPIS = [
  'conversations',
  'anonymous_conversations',
  'error_count',
  'total_cost_usd',
  'deflection_value_usd',
] as const satisfies readonly SegmentKpiId[];

const additive = new Set<KpiId>(ADDITIVE_KPIS);

/** Whether a KPI adds up across segment values (see ADDITIVE_KPIS). */
export function isAdditive(kpi: KpiId): boolean {
  return additive.has(kpi);
}

function figuresFrom(valueOf: (kpi: SegmentKpiId) => number | null): SegmentFigures {
  return Object.fromEntries(SEGMENT_KPIS.map((k) => [k.id, valueOf(k.id)])) as SegmentFigures;
}

/**
 * The figures of a group of segment values (the long tail of a segment table): each additive KPI is the sum
 * of the parts (null when a part's is null); every other figure is null. A rate, mean or percentile of the
 * group cannot be rebuilt from its parts' figures without their denominators, and averaging the parts' rates
 * would weigh a value with 3 conversations like one with 3,000, so none is made up.
 */
export function combineSegments(parts: SegmentFigures[]): SegmentFigures {
  return figuresFrom((kpi) => {
    if (!isAdditive(kpi)) return null;
    let sum = 0;
    for (const part of parts) {
      const value = part[kpi];
      if (value === null) return null;
      sum += value;
    }
    return sum;
  });
}

/**
 * The figures of a segment value without conversations in the period (kpis.md: it does not appear): its
 * counts and sums are 0 (null where the period's own figure is null, as `deflection_value_usd` is without a
 * configured contact cost), every other figure null.
 */
function emptySegmentFigures(doc: PeriodDocument): SegmentFigures {
  return figuresFrom((kpi) => (isAdditive(kpi) && doc.kpis[kpi] !== null ? 0 : null));
}

/** A segment value's figures in a period; a value that does not appear there has the empty segment's figures. */
export function segmentFiguresOf(doc: PeriodDocument, dimension: Dimension, value: string): SegmentFigures {
  return ownEntry(doc.segments[dimension], value) ?? emptySegmentFigures(doc);
}

/** `part / total` as a share, null when the total is 0 or unknown. */
export function shareOfTotal(part: number, total: number | null): number | null {
  return total ? part / total : null;
}
