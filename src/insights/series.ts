import type { Dimension, KpiId } from '../kpi/registry.ts';
import type { PeriodDocument } from '../kpi/results.ts';
import { segmentFiguresOf } from './figures.ts';
import { goalRate } from './goals.ts';

export interface SeriesPoint {
  period: string;
  /** The period's start (ISO-8601 with the report zone's offset), for time axes. */
  start: string;
  value: number | null;
  partial: boolean;
}

export interface SeriesOptions {
  /** How many periods, ending at `index` (default 12, the executive view's trend). */
  last?: number;
  /** The last period of the series (default the latest). */
  index?: number;
}

/** How many periods a trend shows by default. */
export const DEFAULT_SERIES_LENGTH = 12;

/** The points of the `last` periods up to and including `index`, oldest first, with `valueOf` each. */
export function seriesOf(periods: PeriodDocument[], valueOf: (doc: PeriodDocument) => number | null, options: SeriesOptions = {}): SeriesPoint[] {
  const end = Math.min(options.index ?? periods.length - 1, periods.length - 1) + 1;
  const start = Math.max(0, end - (options.last ?? DEFAULT_SERIES_LENGTH));
  return periods.slice(start, end).map((doc) => ({ period: doc.period, start: doc.start, value: valueOf(doc), partial: doc.partial }));
}

/**
 * A KPI over time for trend charts and sparklines, for the whole period or one segment value (a value absent
 * from a period had no conversations there: counts 0, rates null). `availability` has no segment figures.
 */
export function kpiSeries(
  periods: PeriodDocument[],
  kpi: KpiId,
  options: SeriesOptions & { segment?: { dimension: Dimension; value: string } } = {},
): SeriesPoint[] {
  const segment = options.segment;
  if (!segment) return seriesOf(periods, (doc) => doc.kpis[kpi], options);
  return seriesOf(periods, (doc) => (kpi === 'availability' ? null : segmentFiguresOf(doc, segment.dimension, segment.value)[kpi]), options);
}

/** A goal's rate over time (the business outcome's trend). */
export function goalSeries(periods: PeriodDocument[], name: string, options: SeriesOptions = {}): SeriesPoint[] {
  return seriesOf(periods, (doc) => goalRate(doc, name), options);
}
