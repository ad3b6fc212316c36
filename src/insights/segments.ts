import { changesOf, type Change } from '../kpi/change.ts';
import type { Dimension } from '../kpi/registry.ts';
import type { PeriodDocument, SegmentFigures } from '../kpi/results.ts';
import { combineSegments, isAdditive, segmentFiguresOf, shareOfTotal, type SegmentKpiId } from './figures.ts';
import { compareBytes } from './order.ts';
import { shareOf } from './shares.ts';
import { changesInPoints, reaches, shiftOf, worseDirection } from './shift.ts';
import { amountInWords, labelOf, percentInWords } from './words.ts';

export type SegmentChange = Record<SegmentKpiId, Change>;

interface RowBase {
  /** What readers see: the value itself, or "Other (12 values)". */
  label: string;
  figures: SegmentFigures;
  /** Fraction of the period's conversations. */
  share: number | null;
  /** Against the same value(s) in the previous period; null without a previous period. */
  change: SegmentChange | null;
}

/** One segment value of the table. */
export interface SegmentValueRow extends RowBase {
  kind: 'value';
  value: string;
}

/**
 * The long tail grouped into one row. It has no `value` (null), so it can never be mistaken for a real value,
 * even one literally named "Other". Its figures are those of `combineSegments`: sums where they add up,
 * null for rates and means.
 */
export interface SegmentTailRow extends RowBase {
  kind: 'tail';
  value: null;
  /** The grouped values, in table order. */
  values: string[];
}

export type SegmentRow = SegmentValueRow | SegmentTailRow;

/** How many segment values a table shows before grouping the rest. */
export const DEFAULT_TOP_SEGMENTS = 8;

function changeAgainst(figures: SegmentFigures, previous: SegmentFigures | null): SegmentChange | null {
  return previous === null ? null : changesOf(figures, previous);
}

/**
 * The rows of a segment table for one period and dimension: the `top` values by conversations (descending,
 * ties by value byte order), each with its figures, share and change against the same value in `previousDoc`
 * (a value absent there had no conversations: counts 0, rates null), then one tail row for the rest, if any.
 * The tail's change compares the same values' sums in the previous period.
 */
export function segmentRows(
  doc: PeriodDocument,
  previousDoc: PeriodDocument | null,
  dimension: Dimension,
  options: { top?: number } = {},
): SegmentRow[] {
  const top = options.top ?? DEFAULT_TOP_SEGMENTS;
  const ordered = shareOf(doc, dimension);
  const previousOf = (value: string) => (previousDoc === null ? null : segmentFiguresOf(previousDoc, dimension, value));
  const rows: SegmentRow[] = ordered.slice(0, top).map(({ value, share }) => {
    const figures = segmentFiguresOf(doc, dimension, value);
    return { kind: 'value', value, label: value, figures, share, change: changeAgainst(figures, previousOf(value)) };
  });
  const tail = ordered.slice(top).map((s) => s.value);
  if (tail.length > 0) {
    const figures = combineSegments(tail.map((value) => segmentFiguresOf(doc, dimension, value)));
    const previous = previousDoc === null ? null : combineSegments(tail.map((value) => previousOf(value)!));
    rows.push({
      kind: 'tail',
      value: null,
      values: tail,
      label: `Other (${tail.length} ${tail.length === 1 ? 'value' : 'values'})`,
      figures,
      share: shareOfTotal(figures.conversations ?? 0, doc.kpis.conversations),
      change: changeAgainst(figures, previous),
    });
  }
  return rows;
}

/** When a segment value counts as underperforming (see `underperformingSegments`). */
export const UNDERPERFORMING_THRESHOLDS = {
  /** A rate at least this many points worse than the period's (0.05 = 5 points). */
  rateMargin: 0.05,
  /** Any other figure (latency, cost per conversation…) at least this much worse, relative (0.2 = 20%). */
  relativeMargin: 0.2,
  /** Only values with at least this share of the period's conversations… */
  minShare: 0.05,
  /** …and at least this many conversations. */
  minConversations: 30,
};

export type UnderperformingThresholds = typeof UNDERPERFORMING_THRESHOLDS;

export interface UnderperformingSegment {
  value: string;
  conversations: number;
  share: number;
  /** The segment value's figure and the period's. */
  current: number;
  overall: number;
  /** current against overall in the KPI's change unit (points as a fraction for rates, relative otherwise); signed. */
  gap: number;
  /** |gap| × conversations: for a rate, how many conversations more than at the period's rate went the bad way. */
  impact: number;
  /**
   * The selection rule in words, in two parts: how much worse than the whole period the KPI must be, and which
   * segment values are large enough to count (the same for every KPI, so a list can state it once).
   */
  rule: { margin: string; volume: string };
}

function underperformingMargin(kpi: SegmentKpiId, thresholds: UnderperformingThresholds): string {
  const worse = worseDirection(kpi);
  const margin = changesInPoints(kpi) ? thresholds.rateMargin : thresholds.relativeMargin;
  return `${labelOf(kpi)} ${amountInWords(kpi, margin)} or more ${worse === 'up' ? 'above' : 'below'} the whole period's`;
}

function underperformingVolume(thresholds: UnderperformingThresholds): string {
  return `in segments with at least ${percentInWords(thresholds.minShare)} of the conversations and ${thresholds.minConversations} conversations`;
}

/**
 * The values of a dimension where a KPI is well worse than the period's own figure (worse in the sense of the
 * registry's `good` direction) by the stated margin, among values with enough volume to matter, sorted by
 * impact (descending, ties by value byte order). Empty for KPIs without a good direction, for additive KPIs
 * (a segment's count is not comparable with the period's total) and when the period's figure is null.
 */
export function underperformingSegments(
  doc: PeriodDocument,
  dimension: Dimension,
  kpi: SegmentKpiId,
  options: { thresholds?: UnderperformingThresholds } = {},
): UnderperformingSegment[] {
  const thresholds = options.thresholds ?? UNDERPERFORMING_THRESHOLDS;
  const worse = worseDirection(kpi);
  const overall = doc.kpis[kpi];
  if (worse === null || isAdditive(kpi) || overall === null) return [];
  const margin = changesInPoints(kpi) ? thresholds.rateMargin : thresholds.relativeMargin;
  const rule = { margin: underperformingMargin(kpi, thresholds), volume: underperformingVolume(thresholds) };
  const found: UnderperformingSegment[] = [];
  for (const { value, conversations, share } of shareOf(doc, dimension)) {
    const current = segmentFiguresOf(doc, dimension, value)[kpi];
    if (share === null || share < thresholds.minShare || conversations < thresholds.minConversations || current === null) continue;
    const gap = shiftOf(kpi, current, overall);
    if (gap === null || !reaches(gap, margin, worse)) continue;
    found.push({ value, conversations, share, current, overall, gap, impact: Math.abs(gap) * conversations, rule });
  }
  return found.sort((a, b) => b.impact - a.impact || compareBytes(a.value, b.value));
}
