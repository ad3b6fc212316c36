import { changeOf } from '../kpi/change.ts';
import { kpiById, type Direction, type KpiDefinition, type KpiId } from '../kpi/registry.ts';

/** Absorbs floating-point noise when a shift is compared with a threshold (0.35 − 0.30 < 0.05 in doubles). */
const TOLERANCE = 1e-9;

/** The registry entry of a KPI id. */
export function kpiDefinition(kpi: KpiId): KpiDefinition {
  const definition = kpiById(kpi);
  if (!definition) throw new Error(`unknown KPI id: ${kpi}`);
  return definition;
}

/** Whether a KPI's changes read in percentage points (rates) rather than in percent (everything else). */
export function changesInPoints(kpi: KpiId): boolean {
  return kpiDefinition(kpi).unit === 'rate';
}

/**
 * How far `current` moved from `reference`, in the unit pages show the KPI's changes in: the difference for
 * rates (0.03 = 3 points), the relative change for everything else (0.3 = 30%). Null when either value is
 * null, or for a relative change from 0 (the `change` rule of kpis.md, through `changeOf`).
 */
export function shiftOf(kpi: KpiId, current: number | null, reference: number | null): number | null {
  const change = changeOf(current, reference);
  return changesInPoints(kpi) ? change.delta : change.relative;
}

/** Whether a signed shift reaches `threshold` (≥ 0) in `direction`. */
export function reaches(shift: number | null, threshold: number, direction: 'up' | 'down'): boolean {
  if (shift === null) return false;
  return direction === 'up' ? shift >= threshold - TOLERANCE : shift <= -threshold + TOLERANCE;
}

/** The direction in which a KPI gets worse (the opposite of the registry's `good`), or null for neutral KPIs. */
export function worseDirection(kpi: KpiId): 'up' | 'down' | null {
  const good: Direction = kpiDefinition(kpi).good;
  return good === 'neutral' ? null : good === 'up' ? 'down' : 'up';
}
