import type { Change } from './change.ts';
import type { Coverage } from './coverage.ts';
import type { Cadence } from './periods.ts';
import type { Breakdown, Dimension, KpiId } from './registry.ts';

export type Figures = Record<KpiId, number | null>;
export type SegmentFigures = Omit<Figures, 'availability'>;

export interface BreakdownFigures {
  count: number;
  task_completion_rate?: number | null;
  tool_failure_rate?: number | null;
  goal_rate?: number | null;
}

/** One period's export document (kpis.md "Machine-readable export"). */
export interface PeriodDocument {
  period: string;
  cadence: Cadence;
  start: string;
  end: string;
  partial: boolean;
  kpis: Figures;
  previous: Figures | null;
  change: Record<KpiId, Change> | null;
  segments: Record<Dimension, Record<string, SegmentFigures>>;
  breakdowns: Record<Breakdown, Record<string, BreakdownFigures>>;
  /** The KPIs the sources cannot measure, with the reason (src/kpi/coverage.ts); present only when there is one. */
  coverage?: Coverage;
}

/** Everything the engine computes from one snapshot folder: every period of every cadence. */
export interface Results {
  timezone: string;
  /** Latest `ts` of any kept event (ISO-8601 UTC), or null without data. */
  latestTs: string | null;
  /** The snapshot manifest's months' hashes combined: identifies the data the results came from. */
  dataHash: string;
  cadences: Record<Cadence, PeriodDocument[]>;
}
