import { changesOf } from '../../src/kpi/change.ts';
import type { Cadence } from '../../src/kpi/periods.ts';
import { BREAKDOWNS, DIMENSIONS, KPIS, type Breakdown, type Dimension } from '../../src/kpi/registry.ts';
import type { BreakdownFigures, Figures, PeriodDocument, SegmentFigures } from '../../src/kpi/results.ts';

/** Every KPI null, then the given values. */
export function figures(values: Partial<Figures> = {}): Figures {
  return { ...Object.fromEntries(KPIS.map((k) => [k.id, null])), ...values } as Figures;
}

/** A segment value's figures: every segment KPI null, then the given values. */
export function segment(values: Partial<SegmentFigures> = {}): SegmentFigures {
  const { availability: _, ...rest } = figures(values as Partial<Figures>);
  return rest;
}

export interface DocOptions {
  period?: string;
  cadence?: Cadence;
  start?: string;
  partial?: boolean;
  kpis?: Partial<Figures>;
  /** The previous period's kpis; null (the default) for a first period. `change` follows from both. */
  previous?: Partial<Figures> | null;
  segments?: Partial<Record<Dimension, Record<string, Partial<SegmentFigures>>>>;
  breakdowns?: Partial<Record<Breakdown, Record<string, BreakdownFigures>>>;
}

/** A hand-built period document: every KPI null unless given, every dimension and breakdown present. */
export function doc(options: DocOptions = {}): PeriodDocument {
  const kpis = figures(options.kpis);
  const previous = options.previous ? figures(options.previous) : null;
  return {
    period: options.period ?? '2026-W10',
    cadence: options.cadence ?? 'week',
    start: options.start ?? '2026-03-02T00:00:00Z',
    end: '2026-03-09T00:00:00Z',
    partial: options.partial ?? false,
    kpis,
    previous,
    change: previous ? changesOf(kpis, previous) : null,
    segments: Object.fromEntries(
      DIMENSIONS.map((d) => [d, Object.fromEntries(Object.entries(options.segments?.[d] ?? {}).map(([v, f]) => [v, segment(f)]))]),
    ) as PeriodDocument['segments'],
    breakdowns: Object.fromEntries(BREAKDOWNS.map((b) => [b, { ...options.breakdowns?.[b] }])) as PeriodDocument['breakdowns'],
  };
}

/** Consecutive weekly documents from 2026-W01 (Monday 2025-12-29), each with the one before as `previous`. */
export function weeks(list: DocOptions[]): PeriodDocument[] {
  const out: PeriodDocument[] = [];
  list.forEach((options, i) => {
    const start = new Date(Date.UTC(2025, 11, 29 + 7 * i)).toISOString().replace('.000Z', 'Z');
    const previous = i === 0 ? null : out[i - 1].kpis;
    out.push(doc({ period: `2026-W${String(i + 1).padStart(2, '0')}`, start, previous, ...options }));
  });
  return out;
}
