import type { Cadence } from '../kpi/periods.ts';
import type { Dimension } from '../kpi/registry.ts';
import type { BreakdownFigures, PeriodDocument } from '../kpi/results.ts';
import { trailingBaseline } from './baseline.ts';
import { isAdditive, type SegmentKpiId } from './figures.ts';
import { compareBytes, ownEntry } from './order.ts';
import { reaches, shiftOf, worseDirection } from './shift.ts';
import { amountInWords, labelOf, periodsInWords } from './words.ts';

/** One check of the operational review. */
export interface FlagCheck {
  kpi: SegmentKpiId;
  /** The move that raises a flag, in the KPI's change unit: points for rates (0.03 = 3 points), else relative (0.3 = 30%). */
  threshold: number;
  /** `up` flags rises only; `both` flags rises and falls. */
  directions: 'up' | 'both';
  /** Also check every value of this dimension that has enough conversations. */
  segments?: Dimension;
  /** Also check every tool of the `tool` breakdown that has enough calls. */
  breakdown?: 'tool';
}

export interface FlagThresholds {
  /** The baseline is the median over this many earlier complete periods with data… */
  baselinePeriods: number;
  /** …found within this many periods back; otherwise there is not enough history and nothing is flagged. */
  lookbackPeriods: number;
  /** A move in the KPI's bad direction of at least this multiple of the threshold is critical; any other flag is a warning. */
  criticalFactor: number;
  /** A segment value is checked, and counts towards its baseline, only in periods where it has this many conversations. */
  minSegmentConversations: number;
  /** A tool is checked, and counts towards its baseline, only in periods where it has this many calls. */
  minToolCalls: number;
  checks: {
    volume: FlagCheck;
    fallback: FlagCheck;
    errors: FlagCheck;
    latency: FlagCheck;
    escalation: FlagCheck;
    toolFailures: FlagCheck;
  };
}

/**
 * The weekly operational check of the article ("is anything clearly off?"), also usable for months and
 * quarters: each period is compared with the median of its previous 4 complete periods that have data (the
 * median, so one unusual period in the baseline does not move it). A period "has data" when it has
 * conversations (for a segment value: enough conversations; for a tool: enough calls). On a partial period,
 * falls of additive figures (conversations) are not flagged: the count is still growing.
 */
export const FLAG_THRESHOLDS: FlagThresholds = {
  baselinePeriods: 4,
  lookbackPeriods: 8,
  criticalFactor: 2,
  minSegmentConversations: 30,
  minToolCalls: 30,
  checks: {
    volume: { kpi: 'conversations', threshold: 0.3, directions: 'both' },
    fallback: { kpi: 'fallback_rate', threshold: 0.03, directions: 'up', segments: 'intent' },
    errors: { kpi: 'error_conversation_rate', threshold: 0.02, directions: 'both' },
    latency: { kpi: 'latency_p90_ms', threshold: 0.2, directions: 'up' },
    escalation: { kpi: 'escalation_rate', threshold: 0.05, directions: 'both' },
    toolFailures: { kpi: 'tool_failure_rate', threshold: 0.05, directions: 'up', breakdown: 'tool' },
  },
};

export interface Flag {
  kpi: SegmentKpiId;
  segment: { dimension: Dimension; value: string } | null;
  breakdown?: { kind: 'tool'; name: string };
  direction: 'up' | 'down';
  current: number;
  baseline: number;
  /** The rule that fired, in words. */
  rule: string;
  severity: 'warning' | 'critical';
  /** The period is partial (still filling). */
  partial: boolean;
}

/** Where a check looks: the whole period, one segment value or one tool. */
interface Scope {
  segment: Flag['segment'];
  breakdown?: Flag['breakdown'];
  /** The scope in words for the rule ("for each intent with 30 conversations or more"), null for the whole period. */
  where: string | null;
  /** The figure in the checked period (null: nothing to check). */
  current: number | null;
  /** The figure in a baseline period, null without (enough) data there. */
  valueOf: (doc: PeriodDocument) => number | null;
}

function breakdownFigure(figures: BreakdownFigures, kpi: SegmentKpiId): number | null {
  return (figures as unknown as Partial<Record<string, number | null>>)[kpi] ?? null;
}

function segmentsInWords(dimension: Dimension, thresholds: FlagThresholds): string {
  return `for each ${dimension.replaceAll('_', ' ')} with ${thresholds.minSegmentConversations} conversations or more`;
}

function toolsInWords(thresholds: FlagThresholds): string {
  return `for each tool with ${thresholds.minToolCalls} calls or more`;
}

/** A period's figure, null for a period without conversations. */
function periodFigure(kpi: SegmentKpiId): (doc: PeriodDocument) => number | null {
  return (doc) => (doc.kpis.conversations ? doc.kpis[kpi] : null);
}

/** The whole period: its current figure counts even without conversations (a volume of 0 is a fall to flag). */
function periodScope(doc: PeriodDocument, kpi: SegmentKpiId): Scope {
  return { segment: null, where: null, current: doc.kpis[kpi], valueOf: periodFigure(kpi) };
}

function segmentScopes(doc: PeriodDocument, kpi: SegmentKpiId, dimension: Dimension, thresholds: FlagThresholds): Scope[] {
  const valueIn = (d: PeriodDocument, value: string) => {
    const figures = ownEntry(d.segments[dimension], value);
    return figures && (figures.conversations ?? 0) >= thresholds.minSegmentConversations ? figures[kpi] : null;
  };
  const where = segmentsInWords(dimension, thresholds);
  return Object.keys(doc.segments[dimension])
    .sort(compareBytes)
    .map((value) => ({ segment: { dimension, value }, where, current: valueIn(doc, value), valueOf: (d: PeriodDocument) => valueIn(d, value) }));
}

function toolScopes(doc: PeriodDocument, kpi: SegmentKpiId, thresholds: FlagThresholds): Scope[] {
  const valueIn = (d: PeriodDocument, name: string) => {
    const figures = ownEntry(d.breakdowns.tool, name);
    return figures && figures.count >= thresholds.minToolCalls ? breakdownFigure(figures, kpi) : null;
  };
  const where = toolsInWords(thresholds);
  return Object.keys(doc.breakdowns.tool)
    .sort(compareBytes)
    .map((name) => ({ segment: null, breakdown: { kind: 'tool' as const, name }, where, current: valueIn(doc, name), valueOf: (d: PeriodDocument) => valueIn(d, name) }));
}

/** The rule of a check in words for one direction (or both): "Fallback rate 3 points or more above the median of the previous 4 weeks". */
function flagRule(check: FlagCheck, direction: 'up' | 'down' | 'both', cadence: Cadence, thresholds: FlagThresholds = FLAG_THRESHOLDS): string {
  const side = { up: 'above', down: 'below', both: 'above or below' }[direction];
  return `${labelOf(check.kpi)} ${amountInWords(check.kpi, check.threshold)} or more ${side} the median of the previous ${periodsInWords(thresholds.baselinePeriods, cadence)}`;
}

/** Every check's full rule in words, as a page states them beside its flags (or their absence). */
export function flagRules(cadence: Cadence, thresholds: FlagThresholds = FLAG_THRESHOLDS): string[] {
  return Object.values(thresholds.checks).map((check) => {
    const parts = [flagRule(check, check.directions, cadence, thresholds)];
    if (isAdditive(check.kpi) && check.directions === 'both') parts.push(`falls are not checked while the ${cadence} is partial`);
    if (check.segments) parts.push(`also ${segmentsInWords(check.segments, thresholds)}`);
    if (check.breakdown) parts.push(`also ${toolsInWords(thresholds)}`);
    return parts.join('; ');
  });
}

function baselineWindow(thresholds: FlagThresholds) {
  return { periods: thresholds.baselinePeriods, lookback: thresholds.lookbackPeriods };
}

/**
 * Whether period `index` has enough history for the operational check: a baseline of conversations, i.e.
 * `baselinePeriods` earlier complete periods with conversations within `lookbackPeriods`. Without it,
 * `operationalFlags` returns nothing; pages say "not enough history" instead of "nothing flagged".
 */
export function hasEnoughHistory(periods: PeriodDocument[], index: number, options: { thresholds?: FlagThresholds } = {}): boolean {
  const thresholds = options.thresholds ?? FLAG_THRESHOLDS;
  return trailingBaseline(periods, index, periodFigure('conversations'), baselineWindow(thresholds)) !== null;
}

function evaluate(periods: PeriodDocument[], index: number, check: FlagCheck, scope: Scope, thresholds: FlagThresholds): Flag | null {
  const doc = periods[index];
  const current = scope.current;
  if (current === null) return null;
  const baseline = trailingBaseline(periods, index, scope.valueOf, baselineWindow(thresholds));
  const shift = shiftOf(check.kpi, current, baseline);
  if (baseline === null || shift === null) return null;
  const fallsChecked = check.directions === 'both' && !(doc.partial && isAdditive(check.kpi));
  const direction = reaches(shift, check.threshold, 'up') ? 'up' : fallsChecked && reaches(shift, check.threshold, 'down') ? 'down' : null;
  if (direction === null) return null;
  const critical = direction === worseDirection(check.kpi) && reaches(shift, check.threshold * thresholds.criticalFactor, direction);
  const rule = flagRule(check, direction, doc.cadence, thresholds);
  return {
    kpi: check.kpi,
    segment: scope.segment,
    ...(scope.breakdown ? { breakdown: scope.breakdown } : {}),
    direction,
    current,
    baseline,
    rule: scope.where ? `${rule}, ${scope.where}` : rule,
    severity: critical ? 'critical' : 'warning',
    partial: doc.partial,
  };
}

/**
 * The flags of period `index` (FLAG_THRESHOLDS states every rule): per check, the whole period first, then its
 * segment values or tools in byte order. Empty when there is not enough history (see `hasEnoughHistory`);
 * a figure that is null now or has no baseline raises nothing. Flags of a partial period say so.
 */
export function operationalFlags(periods: PeriodDocument[], index: number, options: { thresholds?: FlagThresholds } = {}): Flag[] {
  const thresholds = options.thresholds ?? FLAG_THRESHOLDS;
  const doc = periods[index];
  if (!doc || !hasEnoughHistory(periods, index, { thresholds })) return [];
  const flags: Flag[] = [];
  for (const check of Object.values(thresholds.checks)) {
    const scopes = [periodScope(doc, check.kpi)];
    if (check.segments) scopes.push(...segmentScopes(doc, check.kpi, check.segments, thresholds));
    if (check.breakdown) scopes.push(...toolScopes(doc, check.kpi, thresholds));
    for (const scope of scopes) {
      const flag = evaluate(periods, index, check, scope, thresholds);
      if (flag) flags.push(flag);
    }
  }
  return flags;
}
