/**
 * Several series over the same periods: latency p50/p90/p95/p99, or one KPI per segment value. Colours come
 * from `colors.ts` (the same segment value has the same colour on every page); a legend sits above the plot
 * and every line is labelled at its last value, so colour is never the only cue.
 */
import { seriesColors } from './colors.ts';
import { renderPeriodChart, type PeriodChartOptions, type TrendPoint } from './series.ts';

/** One line of a multi-line chart. */
export interface LineSeries {
  /** The series name: legend entry, direct label, and the key of its colour (`segmentColor(key)`). */
  key: string;
  points: TrendPoint[];
  /** Overrides the colour (e.g. `NEUTRAL_COLOR` for a long-tail group). */
  color?: string;
}

/** Options of `renderMultiLine`; every field is documented on `PeriodChartOptions`. */
export type MultiLineOptions = PeriodChartOptions;

/**
 * Several series over periods, as an SVG string; series are drawn in the order given (later ones on top).
 * With no value in any series, the chart is an explicit "no data" note.
 */
export function renderMultiLine(series: LineSeries[], options: MultiLineOptions): string {
  const keys = series.map((s) => s.key);
  if (new Set(keys).size !== keys.length) throw new Error(`renderMultiLine: series keys must be unique (${keys.join(', ')})`);
  const colors = seriesColors(series.filter((s) => !s.color).map((s) => s.key));
  return renderPeriodChart(
    series.map((s) => ({ key: s.key, color: s.color ?? colors.get(s.key)!, points: s.points })),
    options,
    { kind: 'multi-line', legend: true, directLabels: true, partialNote: false },
  );
}
