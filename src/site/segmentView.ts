import { renderBars, renderMultiLine, segmentColor, NEUTRAL_COLOR } from '../charts/index.ts';
import { kpiSeries, segmentRows, underperformingSegments, type SegmentRow } from '../insights/index.ts';
import type { Cadence } from '../kpi/periods.ts';
import { DIMENSIONS, SEGMENT_KPIS, kpiById, type Dimension, type KpiId } from '../kpi/registry.ts';
import type { PeriodDocument } from '../kpi/results.ts';
import { findPeriod } from './data.ts';
import { periodPath, segmentPath } from './paths.ts';
import { chartAnnotations, measuredChart, TREND_PERIODS, type ChartView } from './periodView.ts';
import { underperformingView, type UnderperformingView } from './underperformingView.ts';

type SegmentKpi = Exclude<KpiId, 'availability'>;

/** The KPIs of the compact overview table (every KPI is in the full table below it). */
export const OVERVIEW_KPIS: SegmentKpi[] = ['resolution_rate', 'escalation_rate', 'fallback_rate', 'satisfaction_rate', 'latency_p90_ms', 'cost_per_conversation_usd'];

/** How many underperforming segments the highlight lists, worst first. */
const MAX_HIGHLIGHTS = 8;

/** The KPIs checked for the "where is it underperforming" highlight. */
const HIGHLIGHT_KPIS: SegmentKpi[] = ['resolution_rate', 'abandonment_rate', 'fallback_rate', 'satisfaction_rate', 'latency_p90_ms', 'error_conversation_rate', 'cost_per_conversation_usd'];

export interface SegmentView {
  path: string;
  cadence: Cadence;
  dimension: Dimension;
  doc: PeriodDocument;
  periodPath: string;
  others: { dimension: Dimension; path: string }[];
  rows: SegmentRow[];
  kpis: typeof SEGMENT_KPIS;
  overview: SegmentKpi[];
  underperforming: UnderperformingView;
  charts: ChartView[];
}

const rowColor = (row: SegmentRow) => (row.kind === 'tail' ? NEUTRAL_COLOR : segmentColor(row.value));

/** Everything a segment page shows for one period and dimension. */
export function segmentView(cadence: Cadence, period: string, dimension: Dimension): SegmentView {
  const { doc, index, periods } = findPeriod(cadence, period);
  const rows = segmentRows(doc, periods[index - 1] ?? null, dimension);
  const values = rows.filter((r) => r.kind === 'value').slice(0, 5);
  const resolutionId = `chart-${dimension}-resolution`;
  const volumeId = `chart-${dimension}-volume`;
  const trendId = `chart-${dimension}-resolution-trend`;
  const label = dimension.replaceAll('_', ' ');
  return {
    path: segmentPath(cadence, period, dimension),
    cadence,
    dimension,
    doc,
    periodPath: periodPath(cadence, period),
    others: DIMENSIONS.filter((d) => d !== dimension).map((d) => ({ dimension: d, path: segmentPath(cadence, period, d) })),
    rows,
    kpis: SEGMENT_KPIS,
    overview: OVERVIEW_KPIS,
    underperforming: underperformingView(
      HIGHLIGHT_KPIS.flatMap((kpi) => underperformingSegments(doc, dimension, kpi).map((u) => ({ ...u, kpi }))),
      MAX_HIGHLIGHTS,
    ),
    charts: [
      {
        id: volumeId,
        title: `Share of conversations by ${label}`,
        svg: renderBars(rows.map((r) => ({ label: r.label, value: r.share, color: rowColor(r) })), { title: `Share of conversations by ${label}`, unit: 'rate', id: `${volumeId}-svg`, xLabel: 'Share of conversations (%)' }),
      },
      measuredChart(
        doc,
        ['resolution_rate'],
        resolutionId,
        `Resolution rate by ${label}`,
        () => renderBars(rows.map((r) => ({ label: r.label, value: r.figures.resolution_rate, color: rowColor(r) })), { title: `Resolution rate by ${label}`, unit: 'rate', id: `${resolutionId}-svg` }),
        rows.some((r) => r.kind === 'tail') ? 'The grouped long tail has no single rate; see each value on its own in kpis.json.' : undefined,
      ),
      measuredChart(doc, ['resolution_rate'], trendId, `Resolution rate of the largest ${label} values over time`, () =>
        renderMultiLine(
          values.map((r) => ({ key: r.label, points: kpiSeries(periods, 'resolution_rate', { last: TREND_PERIODS, index, segment: { dimension, value: r.value! } }) })),
          { title: `Resolution rate of the largest ${label} values`, unit: 'rate', annotations: chartAnnotations(dimension), id: `${trendId}-svg` },
        ),
      ),
    ],
  };
}

export const kpiLabel = (id: string): string => kpiById(id)?.label ?? id;
