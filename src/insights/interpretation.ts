import { changeOf } from '../kpi/change.ts';
import type { Dimension, KpiId } from '../kpi/registry.ts';
import type { PeriodDocument } from '../kpi/results.ts';
import type { SegmentKpiId } from './figures.ts';
import { compareBytes, ownEntry } from './order.ts';
import { changesInPoints, reaches, shiftOf, worseDirection } from './shift.ts';
import { labelInSentence, labelOf, listInWords, movedInWords, pointsInWords } from './words.ts';

/** When the article's "How to interpret changes" rules fire (a period against the previous one). */
export const INTERPRETATION_THRESHOLDS = {
  /** A rate moved notably: 2 percentage points or more. */
  rateShift: 0.02,
  /** Any other figure moved notably: 10% or more. */
  relativeShift: 0.1,
  /** The escalation rate fell sharply: 5 points or more. */
  sharpRateShift: 0.05,
  /** Cost rose faster than volume: its relative growth is at least 10 points above the conversations' (+25% against +10%). */
  costAheadOfVolume: 0.1,
  /** The fallback note names segment values with at least this many conversations in both periods. */
  minSegmentConversations: 30,
};

export type InterpretationThresholds = typeof INTERPRETATION_THRESHOLDS;

export interface NoteFigure {
  kpi: KpiId;
  /** Set for a segment value's figure (the fallback note names the segments that rose most). */
  segment?: { dimension: Dimension; value: string };
  current: number | null;
  previous: number | null;
  /** current − previous (for rates, in points as a fraction). */
  delta: number | null;
}

export interface Note {
  id:
    | 'volume-up-outcomes-worse'
    | 'volume-up-outcomes-stable'
    | 'containment-up-satisfaction-down'
    | 'fallback-up'
    | 'satisfaction-down-technical-stable'
    | 'cost-ahead-of-volume'
    | 'escalation-down-abandonment-up';
  title: string;
  /** What happened, with the moves that triggered the note, and what to check. */
  text: string;
  /** The figures the note is about, triggering ones first. */
  figures: NoteFigure[];
  /** The period is partial (still filling). */
  partial: boolean;
}

/** The outcomes whose worsening turns "more conversations" into strain. */
const VOLUME_OUTCOMES: SegmentKpiId[] = ['resolution_rate', 'escalation_rate', 'latency_p90_ms'];
/** The technical figures that, when stable, point a satisfaction drop at content quality. */
const TECHNICAL_FIGURES: SegmentKpiId[] = ['latency_p90_ms', 'error_conversation_rate'];
/** The dimensions in which the fallback note looks for the largest increase. */
const FALLBACK_DIMENSIONS: Dimension[] = ['intent', 'channel'];

type Rule = (doc: PeriodDocument, previousDoc: PeriodDocument | null, thresholds: InterpretationThresholds) => Note | null;

/** A figure of the period beside its previous value. */
function figureOf(doc: PeriodDocument, kpi: KpiId): NoteFigure {
  const current = doc.kpis[kpi];
  const previous = doc.previous?.[kpi] ?? null;
  return { kpi, current, previous, delta: changeOf(current, previous).delta };
}

/** How far a figure moved since the previous period, in its change unit (points for rates, relative otherwise). */
function shiftSincePrevious(doc: PeriodDocument, kpi: KpiId): number | null {
  return shiftOf(kpi, doc.kpis[kpi], doc.previous?.[kpi] ?? null);
}

function notable(kpi: KpiId, thresholds: InterpretationThresholds): number {
  return changesInPoints(kpi) ? thresholds.rateShift : thresholds.relativeShift;
}

function movedNotably(doc: PeriodDocument, kpi: KpiId, direction: 'up' | 'down', thresholds: InterpretationThresholds): boolean {
  return reaches(shiftSincePrevious(doc, kpi), notable(kpi, thresholds), direction);
}

function worsened(doc: PeriodDocument, kpi: SegmentKpiId, thresholds: InterpretationThresholds): boolean {
  const worse = worseDirection(kpi);
  return worse !== null && movedNotably(doc, kpi, worse, thresholds);
}

/** "fallback rate rose 3.4 points" ("Fallback rate…" at the start of a sentence), for a figure whose move is known. */
function moveInWords(doc: PeriodDocument, kpi: KpiId, position: 'start' | 'inside' = 'inside'): string {
  const label = position === 'start' ? labelOf(kpi) : labelInSentence(kpi);
  return `${label} ${movedInWords(kpi, shiftSincePrevious(doc, kpi)!)}`;
}

function note(doc: PeriodDocument, id: Note['id'], title: string, text: string, figures: NoteFigure[]): Note {
  return { id, title, text, figures, partial: doc.partial };
}

/** "If conversation volume rises": with worse outcomes (strain) or with stable ones (healthy). */
const volumeRule: Rule = (doc, _previousDoc, thresholds) => {
  if (!movedNotably(doc, 'conversations', 'up', thresholds)) return null;
  const volume = moveInWords(doc, 'conversations', 'start');
  const worse = VOLUME_OUTCOMES.filter((kpi) => worsened(doc, kpi, thresholds));
  if (worse.length > 0) {
    return note(
      doc,
      'volume-up-outcomes-worse',
      'More conversations, worse outcomes',
      `${volume} while ${listInWords(worse.map((kpi) => moveInWords(doc, kpi)))}. Higher traffic with worsening outcomes suggests ` +
        'capacity or quality strain: check whether a service issue is driving people to the bot and whether capacity kept up.',
      [figureOf(doc, 'conversations'), ...worse.map((kpi) => figureOf(doc, kpi))],
    );
  }
  const known = VOLUME_OUTCOMES.filter((kpi) => shiftSincePrevious(doc, kpi) !== null);
  if (known.length === 0) return null;
  return note(
    doc,
    'volume-up-outcomes-stable',
    'More conversations, stable outcomes',
    `${volume} while ${listInWords(known.map(labelInSentence))} did not get worse. Higher traffic with stable outcomes is usually ` +
      'healthy: stronger adoption, a successful new placement or seasonal demand.',
    [figureOf(doc, 'conversations'), ...known.map((kpi) => figureOf(doc, kpi))],
  );
};

/** "If containment rises" while satisfaction falls. */
const containmentRule: Rule = (doc, _previousDoc, thresholds) => {
  if (!movedNotably(doc, 'containment_rate', 'up', thresholds) || !movedNotably(doc, 'satisfaction_rate', 'down', thresholds)) return null;
  return note(
    doc,
    'containment-up-satisfaction-down',
    'More contained, less satisfied',
    `${moveInWords(doc, 'containment_rate', 'start')} while ${moveInWords(doc, 'satisfaction_rate')}. A bot that makes it harder to reach a person can contain more conversations while ` +
      'frustration grows: review the transfer logic and the quality of a sample of transcripts.',
    [figureOf(doc, 'containment_rate'), figureOf(doc, 'satisfaction_rate')],
  );
};

/** The value of a dimension whose fallback rate rose most since the previous period, among values with enough conversations in both. */
function largestFallbackIncrease(doc: PeriodDocument, previousDoc: PeriodDocument, dimension: Dimension, thresholds: InterpretationThresholds): NoteFigure | null {
  let best: NoteFigure | null = null;
  for (const value of Object.keys(doc.segments[dimension]).sort(compareBytes)) {
    const now = ownEntry(doc.segments[dimension], value)!;
    const before = ownEntry(previousDoc.segments[dimension], value);
    if (!before || (now.conversations ?? 0) < thresholds.minSegmentConversations || (before.conversations ?? 0) < thresholds.minSegmentConversations) continue;
    const { delta } = changeOf(now.fallback_rate, before.fallback_rate);
    if (delta !== null && delta > 0 && (best === null || delta > best.delta!)) {
      best = { kpi: 'fallback_rate', segment: { dimension, value }, current: now.fallback_rate, previous: before.fallback_rate, delta };
    }
  }
  return best;
}

/** "If fallback rate rises": segment it by intent, channel and release date; names the values that rose most. */
const fallbackRule: Rule = (doc, previousDoc, thresholds) => {
  if (!movedNotably(doc, 'fallback_rate', 'up', thresholds)) return null;
  const largest = previousDoc === null ? [] : FALLBACK_DIMENSIONS.map((d) => largestFallbackIncrease(doc, previousDoc, d, thresholds)).filter((f) => f !== null);
  const named = largest.map((f) => `${f.segment!.dimension.replaceAll('_', ' ')} “${f.segment!.value}” (up ${pointsInWords(f.delta!)})`);
  return note(
    doc,
    'fallback-up',
    'More fallback answers',
    `${moveInWords(doc, 'fallback_rate', 'start')}. Likely causes are knowledge gaps, ` +
      'retrieval failures, a prompt regression, or traffic shifting to intents the bot was not built for. Segment the increase by ' +
      'intent, channel and release date (the model, prompt and knowledge-base versions) before changing prompts.' +
      (named.length > 0 ? ` Largest ${named.length === 1 ? 'increase' : 'increases'}: ${listInWords(named)}.` : ''),
    [figureOf(doc, 'fallback_rate'), ...largest],
  );
};

/** "If satisfaction drops while technical metrics stay stable": look at content quality. */
const satisfactionRule: Rule = (doc, _previousDoc, thresholds) => {
  if (!movedNotably(doc, 'satisfaction_rate', 'down', thresholds)) return null;
  const known = TECHNICAL_FIGURES.filter((kpi) => shiftSincePrevious(doc, kpi) !== null);
  if (known.length === 0 || known.some((kpi) => worsened(doc, kpi, thresholds))) return null;
  return note(
    doc,
    'satisfaction-down-technical-stable',
    'Less satisfied, technically stable',
    `${moveInWords(doc, 'satisfaction_rate', 'start')} while ${listInWords(known.map(labelInSentence))} did not get worse: the issue may be content quality rather than infrastructure. ` +
      'Review transcripts for tone mismatch, weak summaries, wrong retrieval grounding or missing business context.',
    [figureOf(doc, 'satisfaction_rate'), ...known.map((kpi) => figureOf(doc, kpi))],
  );
};

/** "If costs rise faster than usage": tokens per conversation and cost per resolved conversation tell why. */
const costRule: Rule = (doc, _previousDoc, thresholds) => {
  const cost = shiftSincePrevious(doc, 'total_cost_usd');
  const volume = shiftSincePrevious(doc, 'conversations');
  if (cost === null || volume === null || !reaches(cost, thresholds.relativeShift, 'up') || !reaches(cost - volume, thresholds.costAheadOfVolume, 'up')) return null;
  const aside = (kpi: KpiId) => {
    const shift = shiftSincePrevious(doc, kpi);
    return shift === null ? '' : ` (${movedInWords(kpi, shift)})`;
  };
  return note(
    doc,
    'cost-ahead-of-volume',
    'Cost growing faster than usage',
    `${moveInWords(doc, 'total_cost_usd', 'start')} while ${moveInWords(doc, 'conversations')}. ` +
      `Look at ${labelInSentence('tokens_per_conversation')}${aside('tokens_per_conversation')}, longer conversation paths, retries and expensive workflows: ` +
      'a prompt update can make answers longer, and users stuck in loops grow the context without more resolutions. ' +
      `${labelOf('cost_per_resolved_usd')}${aside('cost_per_resolved_usd')} is more revealing than total spend.`,
    (['total_cost_usd', 'conversations', 'tokens_per_conversation', 'cost_per_resolved_usd'] as const).map((kpi) => figureOf(doc, kpi)),
  );
};

/** "If escalation rate falls sharply" while abandonment climbs: users may be leaving instead of reaching a person. */
const escalationRule: Rule = (doc, _previousDoc, thresholds) => {
  const escalation = shiftSincePrevious(doc, 'escalation_rate');
  if (!reaches(escalation, thresholds.sharpRateShift, 'down') || !movedNotably(doc, 'abandonment_rate', 'up', thresholds)) return null;
  return note(
    doc,
    'escalation-down-abandonment-up',
    'Fewer escalations, more abandonment',
    `${moveInWords(doc, 'escalation_rate', 'start')} while ${moveInWords(doc, 'abandonment_rate')}: users may be ` +
      'leaving instead of reaching a person. Read escalation, resolution and abandonment together before counting the fall as a success.',
    [figureOf(doc, 'escalation_rate'), figureOf(doc, 'abandonment_rate'), figureOf(doc, 'resolution_rate')],
  );
};

const RULES: Rule[] = [volumeRule, containmentRule, fallbackRule, satisfactionRule, costRule, escalationRule];

/**
 * The article's "How to interpret changes" rules applied to a period against the previous one, in the
 * article's order; only the notes the figures trigger (INTERPRETATION_THRESHOLDS states when). `previousDoc`
 * (the previous period's document) lets the fallback note name the segments that rose most; without it, the
 * note names none. Empty for the first period.
 */
export function interpretationNotes(
  doc: PeriodDocument,
  previousDoc: PeriodDocument | null = null,
  options: { thresholds?: InterpretationThresholds } = {},
): Note[] {
  if (doc.previous === null) return [];
  const thresholds = options.thresholds ?? INTERPRETATION_THRESHOLDS;
  return RULES.map((rule) => rule(doc, previousDoc, thresholds)).filter((n) => n !== null);
}
