/**
 * A word-sized trend for tables and the home page: no axes, no title drawn, the last value marked with a dot.
 * The shape matters more than the scale here, so the y axis spans the values' own range (not from 0); the
 * figures themselves are in the accessible name (`Resolution rate: 58.0% → 61.2%`) and the table beside it.
 */
import * as Plot from '@observablehq/plot';
import { formatValue, type Unit } from '../format/index.ts';
import { ACCENT_COLOR } from './colors.ts';
import { renderChart, renderNoData } from './render.ts';
import { describeSeries, dateOf, type TrendPoint } from './series.ts';

export interface SparklineOptions {
  /** The unit of the values (from the KPI registry). */
  unit: Unit;
  /** What the values are (`Resolution rate`): the start of the accessible name. */
  label: string;
  /** Default 120. */
  width?: number;
  /** Default 28. */
  height?: number;
  /** The line's colour. Default: the accent (`--kpi-chart-accent`). */
  color?: string;
  /** An id for the `<svg>`. */
  id?: string;
}

const isValue = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** A sparkline as an SVG string; nulls are gaps, a partial last period is a hollow dot. */
export function renderSparkline(points: TrendPoint[], options: SparklineOptions): string {
  const { unit, label } = options;
  const width = options.width ?? 120;
  const height = options.height ?? 28;
  const base = { kind: 'sparkline', width, height, id: options.id, showTitle: false };
  const defined = points.filter((p) => isValue(p.value));
  if (!defined.length) {
    return renderNoData({ ...base, title: label, description: `${label}: no data for the periods shown.` }, 'No data');
  }
  const first = defined[0];
  const last = defined[defined.length - 1];
  const name = `${label}: ${formatValue(first.value, unit)} → ${formatValue(last.value, unit)}${last.partial ? ' (partial period)' : ''}`;
  const span = points.length === 1 ? points[0].period : `${points[0].period} to ${points[points.length - 1].period}`;
  const rows = points.map((p) => {
    const date = dateOf(p.start);
    if (!date) throw new Error(`sparkline: period ${JSON.stringify(p.period)} has no valid start date (${JSON.stringify(p.start)})`);
    return { date, value: isValue(p.value) ? p.value : null, partial: !!p.partial, tip: `${p.period}: ${formatValue(p.value, unit)}` };
  });
  const values = defined.map((p) => p.value as number);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (lo === hi) {
    const pad = Math.abs(hi) * 0.1 || 1;
    lo -= pad;
    hi += pad;
  }
  const color = options.color ?? ACCENT_COLOR;
  const lastRow = rows.filter((r) => r.value !== null).at(-1)!;
  const dates = rows.map((r) => r.date.getTime());
  let xDomain = [new Date(Math.min(...dates)), new Date(Math.max(...dates))];
  if (xDomain[0].getTime() === xDomain[1].getTime()) xDomain = [new Date(dates[0] - 86_400_000), new Date(dates[0] + 86_400_000)];
  return renderChart(
    { ...base, title: name, description: `${label} over ${points.length === 1 ? '1 period' : `${points.length} periods`} (${span}): ${describeSeries(points, unit)}.` },
    () => ({
      margin: 4,
      marginRight: 5,
      axis: null,
      x: { type: 'utc', domain: xDomain },
      y: { domain: [lo, hi] },
      marks: [
        Plot.lineY(
          rows.map((r) => (r.partial ? { ...r, value: null } : r)),
          { x: 'date', y: 'value', stroke: color, strokeWidth: 1.5 },
        ),
        Plot.lineY(
          rows.flatMap((r, i) => (r.partial && r.value !== null && i > 0 && rows[i - 1].value !== null ? [rows[i - 1], r] : [])),
          { x: 'date', y: 'value', stroke: color, strokeWidth: 1.5, strokeDasharray: '3,2' },
        ),
        Plot.dot([lastRow], {
          x: 'date',
          y: 'value',
          r: 2.5,
          fill: lastRow.partial ? 'var(--plot-background)' : color,
          stroke: color,
          strokeWidth: 1.2,
          title: 'tip',
        }),
      ],
    }),
  );
}
