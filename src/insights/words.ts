import type { Cadence } from '../kpi/periods.ts';
import type { KpiId } from '../kpi/registry.ts';
import { changesInPoints, kpiDefinition } from './shift.ts';

/** A number of hundredths with at most one decimal and no trailing zero: 0.034 → "3.4", 0.3 → "30". */
function hundredths(amount: number): string {
  return String(Number((Math.abs(amount) * 100).toFixed(1)));
}

/** A fraction as a percentage, sign dropped: 0.3 → "30%". */
export function percentInWords(amount: number): string {
  return `${hundredths(amount)}%`;
}

/** A difference of rates in percentage points, sign dropped: 0.034 → "3.4 points". */
export function pointsInWords(amount: number): string {
  const points = hundredths(amount);
  return `${points} ${points === '1' ? 'point' : 'points'}`;
}

/** A shift or threshold as readers see it: points for rates, percent for other figures (sign dropped). */
export function amountInWords(kpi: KpiId, amount: number): string {
  return changesInPoints(kpi) ? pointsInWords(amount) : percentInWords(amount);
}

/** The KPI's label as it reads inside a sentence: "Fallback rate" → "fallback rate". */
export function labelInSentence(kpi: KpiId): string {
  const label = kpiDefinition(kpi).label;
  return label.charAt(0).toLowerCase() + label.slice(1);
}

/** The KPI's label at the start of a sentence. */
export function labelOf(kpi: KpiId): string {
  return kpiDefinition(kpi).label;
}

/** "rose 3 points" / "fell 12%": a signed shift in words. */
export function movedInWords(kpi: KpiId, shift: number): string {
  return `${shift >= 0 ? 'rose' : 'fell'} ${amountInWords(kpi, shift)}`;
}

const PLURAL: Record<Cadence, string> = { week: 'weeks', month: 'months', quarter: 'quarters' };

/** "4 weeks", "1 month": a number of periods of a cadence. */
export function periodsInWords(count: number, cadence: Cadence): string {
  return `${count} ${count === 1 ? cadence : PLURAL[cadence]}`;
}

/** "a", "a and b", "a, b and c". */
export function listInWords(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
