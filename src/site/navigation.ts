import { periodOf, type Cadence } from '../kpi/periods.ts';
import type { PeriodDocument } from '../kpi/results.ts';
import { periodsOf, siteData } from './data.ts';
import { periodPath } from './paths.ts';

export interface PeriodLink {
  label: string;
  path: string;
}

export interface PeriodNavigation {
  previous: PeriodLink | null;
  next: PeriodLink | null;
  /** The period of each cadence that contains this period's start (the cadence switch). */
  cadences: { cadence: Cadence; link: PeriodLink | null; current: boolean }[];
}

const link = (cadence: Cadence, doc: PeriodDocument | undefined): PeriodLink | null =>
  doc ? { label: doc.period, path: periodPath(cadence, doc.period) } : null;

export function periodNavigation(cadence: Cadence, index: number): PeriodNavigation {
  const periods = periodsOf(cadence);
  const doc = periods[index];
  const start = Date.parse(doc.start);
  const timezone = siteData().results.timezone;
  return {
    previous: link(cadence, periods[index - 1]),
    next: link(cadence, periods[index + 1]),
    cadences: (['week', 'month', 'quarter'] as const).map((c) => {
      const label = c === cadence ? doc.period : periodOf(start, c, timezone);
      return { cadence: c, link: link(c, periodsOf(c).find((p) => p.period === label)), current: c === cadence };
    }),
  };
}

export const CADENCE_LABELS: Record<Cadence, { one: string; many: string; review: string }> = {
  week: { one: 'week', many: 'Weeks', review: 'Weekly operational check' },
  month: { one: 'month', many: 'Months', review: 'Monthly KPI review' },
  quarter: { one: 'quarter', many: 'Quarters', review: 'Quarterly strategy review' },
};
