import { renderBars, renderMultiLine, renderSparkline, renderTrend, segmentColor, type Annotation, type TrendPoint } from '../charts/index.ts';
import { changeTone, formatValue, type Tone } from '../format/index.ts';
import {
  flagRules,
  goalRate,
  goalSeries,
  goalSummary,
  hasEnoughHistory,
  interpretationNotes,
  kpiSeries,
  operationalFlags,
  shareOf,
  underperformingSegments,
  type Flag,
  type GoalRow,
  type Note,
} from '../insights/index.ts';
import { actionOutcome, type ActionOutcome } from '../content/actions.ts';
import { annotationsWithin } from '../content/annotations.ts';
import { parseSegment, type AnnotationEntry, type Review } from '../content/schema.ts';
import type { Change } from '../kpi/change.ts';
import { goalCoverage } from '../kpi/coverage.ts';
import type { Cadence } from '../kpi/periods.ts';
import { DIMENSIONS, FAMILIES, KPIS, kpiById, type Dimension, type Family, type KpiDefinition, type KpiId } from '../kpi/registry.ts';
import type { PeriodDocument } from '../kpi/results.ts';
import { anchorId } from './anchors.ts';
import { findPeriod, reviewOf, siteData } from './data.ts';
import { periodNavigation, type PeriodNavigation } from './navigation.ts';
import { underperformingView, type UnderperformingView } from './underperformingView.ts';
import { exportPath, periodPath, segmentPath } from './paths.ts';

/** How many periods the trends show. */
export const TREND_PERIODS = 12;

/** The executive view of the article: these KPIs, then the configured business outcome. */
export const EXECUTIVE_KPIS: KpiId[] = ['conversations', 'resolution_rate', 'escalation_rate', 'satisfaction_rate', 'cost_per_resolved_usd'];

export interface FigureView {
  id: string;
  label: string;
  unit: KpiDefinition['unit'];
  good: KpiDefinition['good'];
  value: number | null;
  previous: number | null;
  change: Change | null;
  tone: Tone;
  /** Where the figure's home is on the page (`#resolution_rate`). */
  anchor: string;
  /** Why the figure cannot be measured from these sources, when it cannot. */
  notMeasured: string | null;
  sparkline: string;
}

export interface ChartView {
  id: string;
  title: string;
  /** Empty when the chart's KPI is not measured. */
  svg: string;
  caption?: string;
  /** Why the sources cannot measure the KPI the chart draws (see src/kpi/coverage.ts): shown instead of it. */
  notMeasured?: string;
}

export interface FamilyView {
  id: Family;
  label: string;
  question: string;
  figures: FigureView[];
  charts: ChartView[];
}

export interface PeriodView {
  path: string;
  /** The period's review (frontmatter; the MDX body is rendered by the page), if any. */
  review: Review | null;
  /** The previous review's actions and what happened to their KPI in this period. */
  followUp: { period: string; outcomes: ActionOutcome[] } | null;
  /** Changes shipped in this period (annotations dated within it). */
  changesShipped: (AnnotationEntry & { id: string })[];
  cadence: Cadence;
  doc: PeriodDocument;
  nav: PeriodNavigation;
  executive: FigureView[];
  flags: { checked: boolean; flags: Flag[]; rules: string[] } | null;
  notes: Note[];
  operator: ChartView[];
  quarterly: ChartView[];
  families: FamilyView[];
  underperforming: UnderperformingView;
  goals: GoalRow[];
  segmentLinks: { dimension: Dimension; path: string; values: number }[];
  downloads: { json: string; csv: string };
}


function trend(periods: PeriodDocument[], index: number, kpi: KpiId): TrendPoint[] {
  return kpiSeries(periods, kpi, { last: TREND_PERIODS, index });
}

/** One KPI of a period as pages show it; `context` keeps the ids of its sparklines unique on a page. */
export function figureView(periods: PeriodDocument[], index: number, def: KpiDefinition, context: 'exec' | 'table' | 'mdx'): FigureView {
  const doc = periods[index];
  const id = def.id as KpiId;
  const change = doc.change?.[id] ?? null;
  const notMeasured = doc.coverage?.[id] ?? null;
  return {
    id,
    label: def.label,
    unit: def.unit,
    good: def.good,
    value: doc.kpis[id],
    previous: doc.previous?.[id] ?? null,
    change,
    tone: changeTone(change?.delta ?? null, def.good),
    anchor: `#${id}`,
    notMeasured,
    sparkline: notMeasured ? '' : renderSparkline(trend(periods, index, id), { unit: def.unit, label: def.label, id: `spark-${context}-${id}` }),
  };
}

/** The headline business outcome: the configured goal's rate, with its change and trend. */
function headlineGoal(periods: PeriodDocument[], index: number, headline: GoalRow): FigureView {
  const notMeasured = goalCoverage(siteData().manifest.inputs);
  return {
    id: anchorId('goal', headline.name),
    label: headline.label,
    unit: 'rate',
    good: 'up',
    value: headline.rate,
    previous: index > 0 ? goalRate(periods[index - 1], headline.name) : null,
    change: headline.change,
    tone: changeTone(headline.change?.delta ?? null, 'up'),
    anchor: `#${anchorId('goal', headline.name)}`,
    notMeasured,
    sparkline: notMeasured ? '' : renderSparkline(goalSeries(periods, headline.name, { last: TREND_PERIODS, index }), { unit: 'rate', label: headline.label, id: 'spark-goal' }),
  };
}

function chart(id: string, title: string, svg: string, caption?: string): ChartView {
  return { id, title, svg, caption };
}

/**
 * A chart of some KPIs of `doc`, drawn only when the sources measure them: a KPI they cannot measure would be
 * drawn as zeros (no fallback flag in OpenTelemetry traces is not a 0% fallback rate).
 */
export function measuredChart(doc: PeriodDocument, kpis: readonly KpiId[], id: string, title: string, draw: () => string, caption?: string): ChartView {
  const notMeasured = kpis.map((kpi) => doc.coverage?.[kpi]).find((reason) => reason !== undefined);
  return notMeasured ? { id, title, svg: '', notMeasured } : chart(id, title, draw(), caption);
}

/** The id of a chart's `<svg>`: the figure around it carries the chart's anchor. */
const svgId = (id: string) => `${id}-svg`;

function operatorCharts(periods: PeriodDocument[], index: number, annotations: Annotation[]): ChartView[] {
  const doc = periods[index];
  const intents = Object.entries(doc.segments.intent)
    .sort(([, a], [, b]) => (b.conversations ?? 0) - (a.conversations ?? 0))
    .map(([value, f]) => ({ label: value, value: f.fallback_rate, color: segmentColor(value) }));
  const latency = (['latency_p50_ms', 'latency_p90_ms', 'latency_p95_ms', 'latency_p99_ms'] as const).map((k) => ({
    key: kpiById(k)!.label.replace('Latency ', ''),
    points: trend(periods, index, k),
  }));
  const integrations = Object.entries(doc.breakdowns.integration)
    .sort(([, a], [, b]) => b.count - a.count)
    .map(([name, f]) => ({ label: name, value: f.count }));
  const tools = Object.entries(doc.breakdowns.tool)
    .sort(([, a], [, b]) => b.count - a.count)
    .map(([name, f]) => ({ label: name, value: f.tool_failure_rate ?? null }));
  return [
    measuredChart(doc, ['fallback_rate'], 'chart-fallback-by-intent', 'Fallback rate by intent', () => renderBars(intents, { title: 'Fallback rate by intent', unit: 'rate', id: svgId('chart-fallback-by-intent') })),
    measuredChart(doc, ['latency_p90_ms'], 'chart-latency-percentiles', 'Latency percentiles', () =>
      renderMultiLine(latency, { title: 'Latency percentiles (p50, p90, p95, p99)', unit: 'ms', annotations, id: svgId('chart-latency-percentiles') }),
    ),
    measuredChart(doc, ['error_count'], 'chart-errors-by-integration', 'Errors by integration', () => renderBars(integrations, { title: 'Errors by integration', unit: 'count', id: svgId('chart-errors-by-integration') })),
    measuredChart(doc, ['retrieval_success_rate'], 'chart-retrieval', 'Retrieval success rate', () =>
      renderTrend(trend(periods, index, 'retrieval_success_rate'), { title: 'Retrieval success rate', unit: 'rate', annotations, goodDirection: 'up', id: svgId('chart-retrieval') }),
    ),
    measuredChart(doc, ['abandonment_rate'], 'chart-abandonment', 'Abandonment rate', () =>
      renderTrend(trend(periods, index, 'abandonment_rate'), { title: 'Abandonment rate', unit: 'rate', annotations, goodDirection: 'down', id: svgId('chart-abandonment') }),
    ),
    measuredChart(doc, ['tool_failure_rate'], 'chart-tool-failures', 'Tool failure rate by tool', () => renderBars(tools, { title: 'Tool failure rate by tool', unit: 'rate', id: svgId('chart-tool-failures') })),
  ];
}

/** Each family's charts: the trend of its first KPIs, plus the distributions the article asks for. */
function familyCharts(family: Family, periods: PeriodDocument[], index: number, annotations: Annotation[]): ChartView[] {
  const doc = periods[index];
  const trendOf = (kpi: KpiId): ChartView => {
    const def = kpiById(kpi)!;
    const id = `chart-trend-${kpi}`;
    return measuredChart(doc, [kpi], id, `${def.label} over time`, () =>
      renderTrend(trend(periods, index, kpi), { title: `${def.label} over time`, unit: def.unit, annotations, goodDirection: def.good, id: svgId(id) }),
    );
  };
  const sharesChart = (dimension: Dimension, title: string): ChartView => {
    const id = `chart-${dimension}-mix`;
    const rows = shareOf(doc, dimension).map((s) => ({ label: s.value, value: s.share, color: segmentColor(s.value) }));
    return chart(id, title, renderBars(rows, { title, unit: 'rate', id: svgId(id), xLabel: 'Share of conversations (%)' }));
  };
  switch (family) {
    case 'adoption':
      return [trendOf('conversations'), sharesChart('channel', 'Channel mix'), sharesChart('entry_point', 'Entry-point distribution')];
    case 'containment':
      return [trendOf('resolution_rate'), trendOf('containment_rate')];
    case 'quality':
      return [trendOf('fallback_rate'), trendOf('satisfaction_rate')];
    case 'reliability':
      return [trendOf('latency_p90_ms'), trendOf('error_conversation_rate')];
    case 'cost': {
      const id = 'chart-cost-by-intent';
      const rows = Object.entries(doc.segments.intent)
        .sort(([, a], [, b]) => (b.conversations ?? 0) - (a.conversations ?? 0))
        .map(([value, f]) => ({ label: value, value: f.cost_per_conversation_usd, color: segmentColor(value) }));
      return [
        trendOf('cost_per_resolved_usd'),
        measuredChart(doc, ['cost_per_conversation_usd'], id, 'Cost per conversation by intent', () => renderBars(rows, { title: 'Cost per conversation by intent', unit: 'usd', id: svgId(id) })),
      ];
    }
    case 'business':
      return [];
  }
}

function quarterlyCharts(periods: PeriodDocument[], index: number, annotations: Annotation[]): ChartView[] {
  const doc = periods[index];
  const key = ['resolution_rate', 'satisfaction_rate', 'cost_per_resolved_usd'] as const;
  const valueKpis = ['total_cost_usd', 'deflection_value_usd'] as const;
  const value = valueKpis.map((k) => ({ key: kpiById(k)!.label, points: trend(periods, index, k) }));
  return [
    ...key.map((k) => {
      const def = kpiById(k)!;
      const id = `chart-quarters-${k}`;
      return measuredChart(doc, [k], id, `${def.label} across quarters`, () =>
        renderTrend(trend(periods, index, k), { title: `${def.label} across quarters`, unit: def.unit, annotations, goodDirection: def.good, id: svgId(id) }),
      );
    }),
    measuredChart(
      doc,
      valueKpis,
      'chart-cost-vs-value',
      'Cost against value',
      () => renderMultiLine(value, { title: 'Cost against deflection value', unit: 'usd', annotations, id: svgId('chart-cost-vs-value') }),
      costAgainstValue(doc),
    ),
  ];
}

/**
 * The period's cost and value in words: on one axis, a cost hundreds of times smaller than the value it
 * deflects is drawn flat at zero, which reads as "no cost".
 */
function costAgainstValue(doc: PeriodDocument): string | undefined {
  const cost = doc.kpis.total_cost_usd;
  const value = doc.kpis.deflection_value_usd;
  if (cost === null || value === null) return undefined;
  const ratio = cost <= 0 ? '' : value >= cost ? `, ${formatValue(value / cost, 'count')} times the cost` : ', less than the cost';
  return `${doc.period}: total cost ${formatValue(cost, 'usd')}, human deflection value ${formatValue(value, 'usd')}${ratio}.`;
}

/** The KPIs and dimensions the "where is it underperforming" highlight looks at. */
const HIGHLIGHT_KPIS: Exclude<KpiId, 'availability'>[] = ['resolution_rate', 'fallback_rate', 'satisfaction_rate', 'latency_p90_ms'];
const HIGHLIGHT_DIMENSIONS: Dimension[] = ['intent', 'channel', 'language', 'model_version'];

function underperforming(doc: PeriodDocument): PeriodView['underperforming'] {
  return underperformingView(
    HIGHLIGHT_DIMENSIONS.flatMap((dimension) => HIGHLIGHT_KPIS.flatMap((kpi) => underperformingSegments(doc, dimension, kpi).map((u) => ({ ...u, dimension, kpi })))),
    6,
  );
}

/** The annotated changes dated within the period (its "Changes shipped", and a review's `<Annotations />`). */
export function changesShipped(doc: PeriodDocument): (AnnotationEntry & { id: string })[] {
  const { annotations, results } = siteData();
  return annotationsWithin(annotations, Date.parse(doc.start), Date.parse(doc.end), results.timezone);
}

/**
 * The annotations as the charts draw them (a segment scope is part of its label). Charts broken down by a
 * dimension take only the annotations of the whole bot and those scoped to that dimension: a change to the
 * billing intent is no event on a chart by channel.
 */
export function chartAnnotations(dimension?: Dimension): Annotation[] {
  return siteData()
    .annotations.filter((a) => !dimension || !a.segment || parseSegment(a.segment)?.dimension === dimension)
    .map((a) => ({ date: a.date, kind: a.kind, label: a.segment ? `${a.title} (${a.segment})` : a.title }));
}

function followUp(cadence: Cadence, periods: PeriodDocument[], index: number): PeriodView['followUp'] {
  if (index === 0) return null;
  const previous = periods[index - 1];
  const review = reviewOf(cadence, previous.period);
  if (!review || review.actions.length === 0) return null;
  return { period: previous.period, outcomes: review.actions.map((a) => actionOutcome(a, previous, periods[index])) };
}

/** Everything a period page shows, computed from the results; the .astro files only lay it out. */
export function periodView(cadence: Cadence, period: string): PeriodView {
  const { doc, index, periods } = findPeriod(cadence, period);
  const annotations = chartAnnotations();
  const path = periodPath(cadence, period);
  const executive = EXECUTIVE_KPIS.map((k) => figureView(periods, index, kpiById(k)!, 'exec'));
  const { goals: goalConfig, headlineGoal: headline_goal } = siteData();
  const goals = goalSummary(doc, periods[index - 1] ?? null, { goals: goalConfig, headline_goal });
  if (goals.headline) executive.push(headlineGoal(periods, index, goals.headline));
  const families = FAMILIES.map((f) => ({
    ...f,
    figures: KPIS.filter((k) => k.family === f.id).map((k) => figureView(periods, index, k, 'table')),
    charts: familyCharts(f.id, periods, index, annotations),
  }));
  const checked = hasEnoughHistory(periods, index);
  return {
    path,
    review: reviewOf(cadence, period) ?? null,
    followUp: followUp(cadence, periods, index),
    changesShipped: changesShipped(doc),
    cadence,
    doc,
    nav: periodNavigation(cadence, index),
    executive,
    flags: cadence === 'week' ? { checked, flags: checked ? operationalFlags(periods, index) : [], rules: flagRules(cadence) } : null,
    notes: interpretationNotes(doc, periods[index - 1] ?? null),
    operator: operatorCharts(periods, index, annotations),
    quarterly: cadence === 'quarter' ? quarterlyCharts(periods, index, annotations) : [],
    families,
    goals: goals.goals,
    underperforming: underperforming(doc),
    segmentLinks: DIMENSIONS.map((d) => ({ dimension: d, path: segmentPath(cadence, period, d), values: Object.keys(doc.segments[d]).length })),
    downloads: { json: exportPath(cadence, period, 'json'), csv: exportPath(cadence, period, 'csv') },
  };
}
