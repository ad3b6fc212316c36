import { renderSparkline } from '../charts/index.ts';
import { kpiSeries } from '../insights/index.ts';
import type { Cadence } from '../kpi/periods.ts';
import { kpiById, type KpiId } from '../kpi/registry.ts';
import { periodsOf } from './data.ts';
import { periodPath } from './paths.ts';
import { TREND_PERIODS } from './periodView.ts';

/** The headline figures every period list shows. */
export const LIST_KPIS: KpiId[] = ['conversations', 'resolution_rate', 'escalation_rate', 'satisfaction_rate', 'cost_per_resolved_usd'];

export interface PeriodListRow {
  period: string;
  path: string;
  partial: boolean;
  figures: { id: KpiId; value: number | null; notMeasured: string | null }[];
  /** Resolution rate over the periods up to this one. */
  sparkline: string;
}

/** Every period of a cadence, newest first, with its headline figures and a resolution-rate sparkline. */
export function periodList(cadence: Cadence): PeriodListRow[] {
  const periods = periodsOf(cadence);
  const label = kpiById('resolution_rate')!.label;
  return periods
    .map((doc, index) => ({
      period: doc.period,
      path: periodPath(cadence, doc.period),
      partial: doc.partial,
      figures: LIST_KPIS.map((id) => ({ id, value: doc.kpis[id], notMeasured: doc.coverage?.[id] ?? null })),
      sparkline: renderSparkline(kpiSeries(periods, 'resolution_rate', { last: TREND_PERIODS, index }), { unit: 'rate', label: `${label} up to ${doc.period}`, id: `spark-${cadence}-${doc.period}` }),
    }))
    .reverse();
}
