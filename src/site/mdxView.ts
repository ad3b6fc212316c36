import { renderMultiLine, renderTrend } from '../charts/index.ts';
import { kpiSeries, segmentRows, type SegmentRow } from '../insights/index.ts';
import type { Cadence } from '../kpi/periods.ts';
import { kpiById, type Dimension, type KpiId } from '../kpi/registry.ts';
import type { AnnotationEntry } from '../content/schema.ts';
import { findPeriod } from './data.ts';
import { changesShipped, chartAnnotations, figureView, measuredChart, TREND_PERIODS, type ChartView, type FigureView } from './periodView.ts';

/**
 * What the review's MDX components show, from the same figures, formatter and charts as the rest of the page.
 * A component with an unknown id fails the build (the content check reports it first, with file and line).
 */
export interface ReviewContext {
  cadence: Cadence;
  period: string;
}

function definition(id: string) {
  const def = kpiById(id);
  if (!def) throw new Error(`unknown KPI id "${id}"`);
  return def;
}

/** `<Kpi id>` and `<Delta id>`: the period's figure with its change. */
export function kpiMention(context: ReviewContext, id: string): FigureView {
  const { periods, index } = findPeriod(context.cadence, context.period);
  return figureView(periods, index, definition(id), 'mdx');
}

/** `<KpiChart id by?>`: the KPI's trend, or its trend in the largest values of a dimension. */
export function kpiChart(context: ReviewContext, id: string, by: Dimension | undefined, chartId: string): ChartView {
  const def = definition(id);
  const { periods, index, doc } = findPeriod(context.cadence, context.period);
  const annotations = chartAnnotations(by);
  const svgId = `${chartId}-svg`;
  if (!by) {
    const title = `${def.label} over time`;
    return measuredChart(doc, [def.id], chartId, title, () =>
      renderTrend(kpiSeries(periods, id as KpiId, { last: TREND_PERIODS, index }), { title, unit: def.unit, annotations, goodDirection: def.good, id: svgId }),
    );
  }
  const values = segmentRows(doc, periods[index - 1] ?? null, by).filter((r): r is Extract<SegmentRow, { kind: 'value' }> => r.kind === 'value').slice(0, 5);
  const title = `${def.label} by ${by.replaceAll('_', ' ')}`;
  const series = values.map((r) => ({ key: r.value, points: kpiSeries(periods, id as KpiId, { last: TREND_PERIODS, index, segment: { dimension: by, value: r.value } }) }));
  return measuredChart(doc, [def.id], chartId, title, () => renderMultiLine(series, { title, unit: def.unit, annotations, id: svgId }));
}

/** `<Annotations />`: the changes annotated within the period, optionally of one kind. */
export function periodAnnotations(context: ReviewContext, kind?: string): (AnnotationEntry & { id: string })[] {
  const { doc } = findPeriod(context.cadence, context.period);
  return changesShipped(doc).filter((a) => !kind || a.kind === kind);
}

/** `<SegmentTable dim kpi>`: the KPI in every segment value (long tail grouped), with volume and change. */
export function segmentTable(context: ReviewContext, dim: Dimension, id: string): { rows: SegmentRow[]; kpi: FigureView['id']; label: string; unit: FigureView['unit']; good: FigureView['good'] } {
  const def = definition(id);
  const { periods, index, doc } = findPeriod(context.cadence, context.period);
  return { rows: segmentRows(doc, periods[index - 1] ?? null, dim), kpi: def.id, label: def.label, unit: def.unit, good: def.good };
}
