/**
 * Horizontal bars comparing segment values: fallback rate by intent, cost by intent, channel mix shares.
 * Rows keep the order they are given in (the page decides: by volume, by value); each bar carries its value at
 * its end, and a row without a value shows `—` and no bar.
 */
import * as Plot from '@observablehq/plot';
import { formatValue, NO_VALUE, tickFormatter, unitAxisLabel, type Unit } from '../format/index.ts';
import { ACCENT_COLOR } from './colors.ts';
import { estimateTextWidth, headerHeight, niceTicks, renderChart, renderNoData, truncate } from './render.ts';

export interface BarRow {
  /** The row's label (a segment value from the data: escaped on output). */
  label: string;
  /** The value; null shows `—` and no bar. */
  value: number | null;
  /** The bar's colour, e.g. `segmentColor(label)` or `NEUTRAL_COLOR`. Default: the accent. */
  color?: string;
}

export interface BarsOptions {
  /** The chart's title: accessible name, tooltip, and drawn on top unless `showTitle` is false. */
  title: string;
  /** The unit of the values (from the KPI registry). */
  unit: Unit;
  /** Default 640; the height follows from the number of rows. */
  width?: number;
  /** Height of one row in px. Default 22. */
  rowHeight?: number;
  /** The x axis label. Default from the unit (`Percent (%)`, …). */
  xLabel?: string;
  /** An id for the `<svg>` (and prefix of the ids inside it). */
  id?: string;
  /** Draw the title inside the SVG. Default true. */
  showTitle?: boolean;
}

const MAX_LABEL_CHARS = 28;
const isValue = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Horizontal bars as an SVG string. No rows gives the explicit "no data" chart. */
export function renderBars(rows: BarRow[], options: BarsOptions): string {
  const { title, unit } = options;
  const width = options.width ?? 640;
  const rowHeight = options.rowHeight ?? 22;
  const base = { kind: 'bars', title, width, id: options.id, showTitle: options.showTitle };
  if (!rows.length) return renderNoData({ ...base, height: 90, description: `${title}: no data.` }, 'No data.');

  const data = rows.map((r, i): Datum => {
    const value = isValue(r.value) ? r.value : null;
    const text = formatValue(value, unit);
    return { i, label: r.label, short: truncate(r.label, MAX_LABEL_CHARS), value, text, color: r.color ?? ACCENT_COLOR, tip: `${r.label}: ${text}` };
  });
  const values = data.map((d) => d.value).filter(isValue);
  const lo = Math.min(0, ...values);
  let hi = Math.max(0, ...values);
  if (lo === hi) hi = 1;
  const maxAbs = Math.max(Math.abs(lo), Math.abs(hi));

  const marginLeft = Math.min(230, Math.max(40, ...data.map((d) => estimateTextWidth(d.short))) + 16);
  const marginRight = Math.max(...data.map((d) => estimateTextWidth(d.text))) + 14;
  const xLabel = options.xLabel ?? unitAxisLabel(unit, maxAbs);
  const plotWidth = width - marginLeft - marginRight;
  const x = niceTicks(lo, hi, Math.max(2, Math.min(10, Math.floor(plotWidth / 80))));
  const tickFormat = tickFormatter(unit, maxAbs, x.step);
  const marginBottom = 38;
  const withValue = data.filter((d) => d.value !== null);
  const description =
    `${title}. ${rows.length} ${rows.length === 1 ? 'row' : 'rows'}: ` +
    (rows.length <= 20
      ? data.map((d) => `${d.label} ${d.text}`).join('; ')
      : `${describeExtremes(withValue)}; ${rows.length - withValue.length} without a value`) +
    '.';

  const marginTop = headerHeight({ showTitle: options.showTitle, width }) + 8;
  const height = marginTop + rows.length * rowHeight + marginBottom;
  return renderChart({ ...base, height, description }, () => ({
    marginTop,
    marginLeft,
    marginRight,
    marginBottom,
    x: { domain: x.domain, ticks: x.ticks, label: `${xLabel} →`, labelAnchor: 'center', labelOffset: 32, tickFormat, grid: true },
    y: { type: 'band', domain: data.map((d) => d.i), padding: 0.2, tickFormat: (i: number) => data[i].short, tickSize: 0, label: null },
    marks: [
      Plot.barX(withValue, { x: 'value', y: 'i', fill: 'color', title: 'tip' }),
      Plot.ruleX([0], { stroke: 'currentColor', strokeOpacity: 0.6 }),
      Plot.text(data, {
        x: (d: Datum) => Math.max(0, d.value ?? 0),
        y: 'i',
        text: (d: Datum) => (d.value === null ? NO_VALUE : d.text),
        textAnchor: 'start',
        dx: 4,
        fill: 'currentColor',
        title: 'tip',
      }),
    ],
  }));
}

interface Datum {
  i: number;
  label: string;
  short: string;
  value: number | null;
  text: string;
  color: string;
  tip: string;
}

function describeExtremes(rows: { label: string; value: number | null; text: string }[]): string {
  if (!rows.length) return 'no values';
  let min = rows[0];
  let max = rows[0];
  for (const r of rows) {
    if ((r.value as number) < (min.value as number)) min = r;
    if ((r.value as number) > (max.value as number)) max = r;
  }
  return `highest ${max.label} ${max.text}, lowest ${min.label} ${min.text}`;
}
