/**
 * A KPI over periods: one line with dots, the partial period hollow and dashed, annotations as dated rules.
 */
import { ACCENT_COLOR } from './colors.ts';
import { renderPeriodChart, type PeriodChartOptions, type TrendPoint } from './series.ts';

export type { Annotation, TrendPoint } from './series.ts';

/** Options of `renderTrend`; every field is documented on `PeriodChartOptions`. */
export interface TrendOptions extends PeriodChartOptions {
  /** The line's colour. Default: the accent (`--kpi-chart-accent`). */
  color?: string;
}

/**
 * One KPI's values over periods, as an SVG string.
 *
 * The y axis starts at 0 for rates, counts, money and tokens (`zero` overrides), null values are gaps, a
 * partial last period is a hollow dot at the end of a dashed segment with the word "partial", and every dot has
 * a tooltip (`2026-05: 61.2%`). With no value at all, the chart is an explicit "no data" note.
 */
export function renderTrend(points: TrendPoint[], options: TrendOptions): string {
  return renderPeriodChart([{ key: options.title, color: options.color ?? ACCENT_COLOR, points }], options, {
    kind: 'trend',
    legend: false,
    directLabels: false,
    partialNote: true,
  });
}
