/**
 * What the period charts (trend, multi-line) share: one or more series of values over periods, drawn as lines
 * with dots on a UTC time axis whose ticks are the periods themselves. Not a chart kind of its own: `trend.ts`
 * and `multiLine.ts` are the factories pages use.
 *
 * Conventions:
 *   - x is the period's start date (its calendar date in the report time zone, placed at UTC midnight so that
 *     tick labels never shift with the machine's zone); tick labels are the period labels (`2026-05`).
 *   - a null value is a gap in the line, never a zero; a value between two nulls still shows as a dot.
 *   - a partial (still filling) period is a hollow dot reached by a dashed segment, and is named in the
 *     tooltip and the text alternative.
 *   - annotations within the x range are dashed vertical rules with a short label above the plot area; the
 *     full label and kind are in the rule's tooltip and in the text alternative. When the labels cannot all
 *     fit without overlapping (a quarter's or a year's worth of changes), each rule is numbered instead and
 *     a legend under the chart lists the numbers with their dates and labels.
 */
import * as Plot from '@observablehq/plot';
import { formatValue, tickFormatter, unitAxisLabel, type Direction, type Unit } from '../format/index.ts';
import { estimateTextWidth, FONT_SIZE, niceTicks, renderChart, renderNoData, truncate, type ChartFrame, type Decorator, type LegendItem } from './render.ts';

/** One period's value of a KPI, as the engine's period documents give it. */
export interface TrendPoint {
  /** The period label: `2026-05`, `2026-W19`, `2026-Q2`. */
  period: string;
  /** The period's start, ISO-8601 (`2026-05-01T00:00:00+02:00`); only its date part is used. */
  start: string;
  /** The period's end (exclusive), ISO-8601; lets annotations inside the last period count as in range. */
  end?: string;
  /** The value; null when the KPI is undefined for the period (drawn as a gap). */
  value: number | null;
  /** The period is still filling. */
  partial?: boolean;
}

/** A dated note from the review's annotations (a release, an incident, a campaign). */
export interface Annotation {
  /** `YYYY-MM-DD` or an ISO-8601 timestamp; only the date part is used. */
  date: string;
  label: string;
  kind: string;
}

/** Options every period chart takes. */
export interface PeriodChartOptions {
  /** The chart's title: accessible name, tooltip of the whole chart, and drawn on top unless `showTitle` is false. */
  title: string;
  /** The unit of the values (from the KPI registry). */
  unit: Unit;
  /** Dated notes; only those within the periods shown are drawn. */
  annotations?: Annotation[];
  /** Width in px of the intrinsic size (the SVG scales down with its container). Default 640. */
  width?: number;
  /** Height in px. Default 260. */
  height?: number;
  /** Which direction is good for the KPI; said in the text alternative. */
  goodDirection?: Direction;
  /** Start the y axis at 0. Default: true for rates, counts, money and tokens; false for durations. */
  zero?: boolean;
  /** The y axis label. Default from the unit: `Percent (%)`, `Milliseconds (ms)`, `US dollars (USD)`, … */
  yLabel?: string;
  /** The x axis label. Default `Period`. */
  xLabel?: string;
  /** An id for the `<svg>` (and prefix of the ids inside it). */
  id?: string;
  /** Draw the title inside the SVG. Default true; false when the page's heading already names the chart. */
  showTitle?: boolean;
}

/** A series ready to draw: the factories decide its label and colour. */
export interface SeriesSpec {
  key: string;
  color: string;
  points: TrendPoint[];
}

export interface PeriodChartLayout {
  kind: string;
  /** Draw a legend of the series (multi-line). */
  legend: boolean;
  /** Label each line at its last value (multi-line). */
  directLabels: boolean;
  /** Write the word "partial" next to a partial period's dot (single series). */
  partialNote: boolean;
}

const DEFAULT_WIDTH = 640;
const DEFAULT_HEIGHT = 260;
const ANNOTATION_ROW = 12;
const MAX_ANNOTATION_ROWS = 3;
const DIRECT_LABEL_GAP = 11;

const DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** The calendar date of an ISO-8601 string, at UTC midnight; null when it has none. */
export function dateOf(iso: string): Date | null {
  const m = DATE.exec(iso);
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return Number.isNaN(d.getTime()) ? null : d;
}

function pointDate(point: TrendPoint): Date {
  const d = dateOf(point.start);
  if (!d) throw new Error(`chart: period ${JSON.stringify(point.period)} has no valid start date (${JSON.stringify(point.start)})`);
  return d;
}

const isValue = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

interface Row {
  key: string;
  period: string;
  date: Date;
  value: number | null;
  partial: boolean;
  tip: string;
}

/** Statistics of one series for the text alternative. */
export interface SeriesSummary {
  first?: { period: string; value: number };
  last?: { period: string; value: number; partial: boolean };
  min?: { period: string; value: number };
  max?: { period: string; value: number };
  missing: string[];
}

export function summarize(points: TrendPoint[]): SeriesSummary {
  const summary: SeriesSummary = { missing: [] };
  for (const p of points) {
    if (!isValue(p.value)) {
      summary.missing.push(p.period);
      continue;
    }
    summary.first ??= { period: p.period, value: p.value };
    summary.last = { period: p.period, value: p.value, partial: !!p.partial };
    if (!summary.min || p.value < summary.min.value) summary.min = { period: p.period, value: p.value };
    if (!summary.max || p.value > summary.max.value) summary.max = { period: p.period, value: p.value };
  }
  return summary;
}

/** `first 58.0% (2025-06), last 61.2% (2026-05, partial: still filling); lowest …; highest …` */
export function describeSeries(points: TrendPoint[], unit: Unit): string {
  const s = summarize(points);
  if (!s.first || !s.last || !s.min || !s.max) return 'no data';
  const f = (v: number) => formatValue(v, unit);
  const parts = [
    `first ${f(s.first.value)} (${s.first.period})`,
    `last ${f(s.last.value)} (${s.last.period}${s.last.partial ? ', partial period: still filling' : ''})`,
    `lowest ${f(s.min.value)} (${s.min.period})`,
    `highest ${f(s.max.value)} (${s.max.period})`,
  ];
  let text = parts.join(', ');
  if (s.missing.length) text += `; no value for ${s.missing.join(', ')}`;
  return text;
}

function periodsOf(series: SeriesSpec[]): { period: string; date: Date; partial: boolean; end?: string }[] {
  const byTime = new Map<number, { period: string; date: Date; partial: boolean; end?: string }>();
  for (const s of series) {
    for (const p of s.points) {
      const date = pointDate(p);
      const seen = byTime.get(date.getTime());
      if (!seen) byTime.set(date.getTime(), { period: p.period, date, partial: !!p.partial, end: p.end });
      else {
        seen.partial ||= !!p.partial;
        seen.end ??= p.end;
      }
    }
  }
  return [...byTime.values()].sort((a, b) => a.date.getTime() - b.date.getTime());
}

/** The annotations whose date falls within [first period start, last period end). */
export function annotationsInRange(annotations: Annotation[], periods: { date: Date; end?: string }[]): { annotation: Annotation; date: Date }[] {
  if (!periods.length) return [];
  const start = periods[0].date.getTime();
  const last = periods[periods.length - 1];
  let end = last.end ? dateOf(last.end)?.getTime() : undefined;
  if (end === undefined) {
    // Without an end, assume the last period is as long as the one before it (one day for a single period).
    const step = periods.length > 1 ? last.date.getTime() - periods[periods.length - 2].date.getTime() : 86_400_000;
    end = last.date.getTime() + step;
  }
  const out: { annotation: Annotation; date: Date }[] = [];
  for (const annotation of annotations) {
    const date = dateOf(annotation.date);
    if (date && date.getTime() >= start && date.getTime() < end) out.push({ annotation, date });
  }
  return out.sort((a, b) => a.date.getTime() - b.date.getTime());
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Renders period series. With no period carrying a value, renders the explicit "no data" chart instead.
 */
export function renderPeriodChart(series: SeriesSpec[], options: PeriodChartOptions, layout: PeriodChartLayout): string {
  const width = options.width ?? DEFAULT_WIDTH;
  const height = options.height ?? DEFAULT_HEIGHT;
  const { unit, title } = options;
  const frameBase = { kind: layout.kind, title, width, height, id: options.id, showTitle: options.showTitle };

  const values = series.flatMap((s) => s.points.map((p) => p.value)).filter(isValue);
  if (!values.length) {
    const periods = series.flatMap((s) => s.points).length;
    return renderNoData(
      { ...frameBase, description: `${title}: no data${periods ? ` for the ${periods === 1 ? 'period' : 'periods'} shown` : ''}.` },
      'No data for these periods.',
    );
  }

  const periods = periodsOf(series);
  const labelOf = new Map(periods.map((p) => [p.date.getTime(), p.period]));
  const inRange = annotationsInRange(options.annotations ?? [], periods);

  // y domain and its tick formatting.
  const zero = options.zero ?? unit !== 'ms';
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (zero) {
    lo = Math.min(0, lo);
    hi = Math.max(0, hi);
  }
  if (lo === hi) {
    if (hi === 0) hi = unit === 'rate' ? 1 : 1;
    else {
      const pad = Math.abs(hi) * 0.1;
      hi += pad;
      if (!zero) lo -= pad;
    }
  }
  const maxAbs = Math.max(Math.abs(lo), Math.abs(hi));
  const y = niceTicks(lo, hi, Math.max(2, Math.min(8, Math.floor((height - 100) / 32))));
  const yTickFormat = tickFormatter(unit, maxAbs, y.step);
  const widestTick = Math.max(...y.ticks.map((v) => estimateTextWidth(yTickFormat(v))));

  // x layout: period ticks, thinned so that labels do not collide; the latest period always labelled.
  const periodLabelWidth = Math.max(...periods.map((p) => estimateTextWidth(p.period))) + 10;
  const marginLeft = Math.max(40, widestTick + 14);
  const directLabelWidth = layout.directLabels ? Math.max(...series.map((s) => estimateTextWidth(truncate(s.key, 18)))) + 26 : 0;
  const marginRight = Math.max(16, directLabelWidth);
  const inset = Math.ceil(periodLabelWidth / 2);
  const plotWidth = width - marginLeft - marginRight - 2 * inset;
  const every = Math.max(1, Math.ceil((periods.length * periodLabelWidth) / Math.max(1, plotWidth + periodLabelWidth)));
  const ticks = periods.filter((_, i) => (periods.length - 1 - i) % every === 0).map((p) => p.date);
  let xDomain: [Date, Date] = [periods[0].date, periods[periods.length - 1].date];
  const lastAnnotation = inRange.length ? inRange[inRange.length - 1].date : undefined;
  if (lastAnnotation && lastAnnotation > xDomain[1]) xDomain = [xDomain[0], lastAnnotation];
  if (xDomain[0].getTime() === xDomain[1].getTime()) {
    const day = 86_400_000;
    xDomain = [new Date(xDomain[0].getTime() - 15 * day), new Date(xDomain[1].getTime() + 15 * day)];
  }

  // Annotation labels: rows above the plot area, greedy, estimated in px with the same linear map Plot uses;
  // numbers and a legend below the chart when the labels themselves do not fit.
  const x0 = marginLeft + inset;
  const x1 = width - marginRight - inset;
  const px = (d: Date) => x0 + ((d.getTime() - xDomain[0].getTime()) / (xDomain[1].getTime() - xDomain[0].getTime())) * (x1 - x0);
  const labelled = placeAnnotationLabels(inRange, (a) => truncate(a.label, 28), px, width);
  const numbered = labelled.fits ? null : placeAnnotationLabels(inRange, (_, i) => String(i + 1), px, width);
  const { placed, rows: annotationRows } = numbered ?? labelled;
  const legendLines = numbered
    ? wrapLegend(inRange.map(({ annotation, date }, i) => `${i + 1} ${isoDate(date)} ${truncate(annotation.label, 48)}`), width - 8)
    : [];
  const legendHeight = legendLines.length * ANNOTATION_ROW;

  // Rows for Plot.
  const rows: Row[] = [];
  for (const s of series) {
    for (const p of s.points) {
      const value = isValue(p.value) ? p.value : null;
      const prefix = series.length > 1 ? `${s.key}, ` : '';
      rows.push({
        key: s.key,
        period: p.period,
        date: pointDate(p),
        value,
        partial: !!p.partial,
        tip: `${prefix}${p.period}: ${formatValue(value, unit)}${p.partial ? ' (partial period)' : ''}`,
      });
    }
  }

  const anyPartial = rows.some((r) => r.partial && r.value !== null);
  const legend: LegendItem[] = [];
  if (layout.legend) for (const s of series) legend.push({ label: s.key, color: s.color });
  if (layout.legend && anyPartial) legend.push({ label: 'Partial period (still filling)', color: 'currentColor', dashed: true, hollow: true });

  const yLabel = options.yLabel ?? unitAxisLabel(unit, maxAbs);
  const desc = describe(series, options, inRange);

  const frame: ChartFrame = { ...frameBase, height: height + legendHeight, description: desc, legend };
  return renderChart(
    frame,
    (header) => {
      const marks: Plot.Markish[] = [Plot.gridY(y.ticks, { stroke: 'currentColor', strokeOpacity: 0.1 })];
      if (lo <= 0 && hi >= 0) marks.push(Plot.ruleY([0], { stroke: 'currentColor', strokeOpacity: 0.5 }));
      for (const s of series) {
        const own = rows.filter((r) => r.key === s.key);
        // Complete periods: solid line, with a gap at every null (and at partial periods, drawn dashed below).
        const solid = own.map((r) => (r.partial ? { ...r, value: null } : r));
        marks.push(Plot.lineY(solid, { x: 'date', y: 'value', stroke: s.color, strokeWidth: 2 }));
        // Partial periods: a dashed segment from the previous period's value.
        const segments: (Row & { segment: number })[] = [];
        own.forEach((r, i) => {
          const prev = own[i - 1];
          if (r.partial && r.value !== null && prev && prev.value !== null) segments.push({ ...prev, segment: i }, { ...r, segment: i });
        });
        if (segments.length) {
          marks.push(
            Plot.lineY(segments, { x: 'date', y: 'value', z: 'segment', stroke: s.color, strokeWidth: 2, strokeDasharray: '4,3' }),
          );
        }
        const complete = own.filter((r) => !r.partial && r.value !== null);
        const partial = own.filter((r) => r.partial && r.value !== null);
        marks.push(Plot.dot(complete, { x: 'date', y: 'value', r: 3, fill: s.color, stroke: 'var(--plot-background)', strokeWidth: 1, title: 'tip' }));
        if (partial.length) {
          marks.push(
            Plot.dot(partial, { x: 'date', y: 'value', r: 3.5, fill: 'var(--plot-background)', stroke: s.color, strokeWidth: 1.5, title: 'tip' }),
          );
          if (layout.partialNote) {
            marks.push(
              Plot.text(partial, { x: 'date', y: 'value', text: () => 'partial', dy: -10, fontSize: 9, fill: 'currentColor', fillOpacity: 0.75 }),
            );
          }
        }
      }
      return {
        marginTop: header.height + annotationRows * ANNOTATION_ROW + 20,
        marginRight,
        marginBottom: 38 + legendHeight,
        marginLeft,
        style: { overflow: 'visible' },
        x: { type: 'utc', domain: xDomain, inset, ticks, tickFormat: (d: Date) => labelOf.get(d.getTime()) ?? isoDate(d), label: options.xLabel ?? 'Period', labelAnchor: 'center', labelOffset: 32 },
        y: { domain: y.domain, ticks: y.ticks, label: null, tickFormat: yTickFormat },
        marks,
      };
    },
    (svg, d) => {
      // Plot pins a top y-axis label to the very top of the SVG; ours sits just above the plot area, below the header.
      const label = d.el('g', { 'aria-label': 'y-axis label', 'text-anchor': 'start' });
      label.appendChild(d.el('text', { x: 3, y: plotTop(d) - 8 }, `↑ ${yLabel}`));
      svg.appendChild(label);
      if (placed.length) drawAnnotations(svg, d, placed, annotationRows);
      if (legendLines.length) drawAnnotationLegend(svg, d, legendLines, height + legendHeight);
      if (layout.directLabels) drawDirectLabels(svg, d, series, unit);
    },
  );
}

function describe(series: SeriesSpec[], options: PeriodChartOptions, inRange: { annotation: Annotation; date: Date }[]): string {
  const periods = periodsOf(series);
  const span = periods.length === 1 ? `1 period, ${periods[0].period}` : `${periods.length} periods, ${periods[0].period} to ${periods[periods.length - 1].period}`;
  const sentences = [`${options.title}. ${span}.`];
  if (series.length === 1) {
    const text = describeSeries(series[0].points, options.unit);
    sentences.push(`${text.charAt(0).toUpperCase()}${text.slice(1)}.`);
  } else {
    for (const s of series) sentences.push(`${s.key}: ${describeSeries(s.points, options.unit)}.`);
  }
  if (options.goodDirection === 'up') sentences.push('Higher is better.');
  if (options.goodDirection === 'down') sentences.push('Lower is better.');
  if (inRange.length) sentences.push(`Annotations: ${inRange.map(({ annotation: a, date }) => `${isoDate(date)} ${a.kind}: ${a.label}`).join('; ')}.`);
  return sentences.join(' ');
}

function plotTop(d: Decorator): number {
  const range = d.scale('y')?.range as [number, number] | undefined;
  return range ? Math.min(range[0], range[1]) : 0;
}

function plotBottom(d: Decorator): number {
  const range = d.scale('y')?.range as [number, number] | undefined;
  return range ? Math.max(range[0], range[1]) : 0;
}

type PlacedAnnotation = { annotation: Annotation; date: Date; text: string; row: number; anchorEnd: boolean };

/**
 * Places each annotation's text in the first of up to MAX_ANNOTATION_ROWS rows where it does not overlap the
 * texts before it; `fits` is false when some text found no such row (it then shares the last one).
 */
function placeAnnotationLabels(
  inRange: { annotation: Annotation; date: Date }[],
  textOf: (annotation: Annotation, index: number) => string,
  px: (d: Date) => number,
  width: number,
): { placed: PlacedAnnotation[]; rows: number; fits: boolean } {
  const rowsRight: number[] = [];
  let fits = true;
  const placed = inRange.map(({ annotation, date }, i) => {
    const text = textOf(annotation, i);
    const w = estimateTextWidth(text, 9);
    const x = px(date);
    const anchorEnd = x + 3 + w > width - 4;
    const left = anchorEnd ? x - 3 - w : x + 3;
    let row = rowsRight.findIndex((right) => right + 6 <= left);
    if (row === -1 && rowsRight.length < MAX_ANNOTATION_ROWS) row = rowsRight.length;
    if (row === -1) {
      fits = false;
      row = rowsRight.length - 1;
    }
    rowsRight[row] = Math.max(rowsRight[row] ?? -Infinity, left + w);
    return { annotation, date, text, row, anchorEnd };
  });
  return { placed, rows: rowsRight.length, fits };
}

/** The legend's entries, as many to a line as fit in `width` (estimated like every label here). */
function wrapLegend(entries: string[], width: number): string[] {
  const lines: string[] = [];
  for (const entry of entries) {
    const last = lines.at(-1);
    if (last !== undefined && estimateTextWidth(`${last} · ${entry}`, 9) <= width) lines[lines.length - 1] = `${last} · ${entry}`;
    else lines.push(entry);
  }
  return lines;
}

/** The numbered annotations' legend, under the x axis label. */
function drawAnnotationLegend(svg: SVGElement, d: Decorator, lines: string[], height: number): void {
  const g = d.el('g', { class: 'kpi-chart-annotation-legend', 'aria-label': 'annotations legend', 'font-size': 9, fill: 'currentColor', 'text-anchor': 'start' });
  lines.forEach((line, i) => g.appendChild(d.el('text', { x: 4, y: height - (lines.length - i) * ANNOTATION_ROW + 8 }, line)));
  svg.appendChild(g);
}

function drawAnnotations(svg: SVGElement, d: Decorator, placed: PlacedAnnotation[], rows: number): void {
  const x = d.scale('x');
  if (!x?.apply) return;
  const top = plotTop(d);
  const bottom = plotBottom(d);
  const g = d.el('g', { class: 'kpi-chart-annotations', 'aria-label': 'annotations', 'font-size': 9 });
  for (const p of placed) {
    const cx = Number(x.apply(p.date));
    const labelY = top - 22 - (rows - 1 - p.row) * ANNOTATION_ROW;
    const item = d.el('g', { class: 'kpi-chart-annotation', 'data-kind': p.annotation.kind });
    item.appendChild(d.el('title', {}, `${isoDate(p.date)} · ${p.annotation.kind}: ${p.annotation.label}`));
    item.appendChild(
      d.el('line', { x1: cx, x2: cx, y1: labelY + 3, y2: bottom, stroke: 'currentColor', 'stroke-opacity': 0.55, 'stroke-dasharray': '3,3' }),
    );
    item.appendChild(
      d.el('text', { x: p.anchorEnd ? cx - 3 : cx + 3, y: labelY, dy: '0.32em', 'text-anchor': p.anchorEnd ? 'end' : 'start', fill: 'currentColor' }, p.text),
    );
    g.appendChild(item);
  }
  svg.appendChild(g);
}

/** Labels each series at its last value, right of the plot; labels are pushed apart vertically when close. */
function drawDirectLabels(svg: SVGElement, d: Decorator, series: SeriesSpec[], unit: Unit): void {
  const x = d.scale('x');
  const y = d.scale('y');
  if (!x?.apply || !y?.apply) return;
  const labels: { key: string; color: string; x: number; y: number; origin: number; text: string; value: number }[] = [];
  for (const s of series) {
    const last = [...s.points].reverse().find((p) => isValue(p.value));
    if (!last) continue;
    const cy = Number(y.apply(last.value));
    labels.push({ key: s.key, color: s.color, x: Number(x.apply(pointDate(last))), y: cy, origin: cy, text: truncate(s.key, 18), value: last.value! });
  }
  labels.sort((a, b) => a.y - b.y);
  // Push apart downwards, then back up if the last one left the plot.
  for (let i = 1; i < labels.length; i++) labels[i].y = Math.max(labels[i].y, labels[i - 1].y + DIRECT_LABEL_GAP);
  const bottom = plotBottom(d);
  const overflow = labels.length ? labels[labels.length - 1].y - bottom : 0;
  if (overflow > 0) for (const l of labels) l.y -= overflow;
  for (let i = labels.length - 2; i >= 0; i--) labels[i].y = Math.min(labels[i].y, labels[i + 1].y - DIRECT_LABEL_GAP);
  const right = Math.max(...labels.map((l) => l.x));
  const g = d.el('g', { class: 'kpi-chart-direct-labels', 'aria-hidden': 'true', 'text-anchor': 'start', 'font-size': FONT_SIZE });
  for (const l of labels) {
    const item = d.el('g', {});
    item.appendChild(d.el('title', {}, `${l.key}: ${formatValue(l.value, unit)}`));
    // A leader in the series colour from the last value to the label; the text itself in the text colour.
    item.appendChild(d.el('path', { d: `M${l.x + 5},${l.origin}L${right + 9},${l.y}L${right + 15},${l.y}`, fill: 'none', stroke: l.color, 'stroke-width': 2 }));
    item.appendChild(d.el('text', { x: right + 18, y: l.y, dy: '0.32em', fill: 'currentColor' }, l.text));
    g.appendChild(item);
  }
  svg.appendChild(g);
}
