import type { PeriodDocument } from '../kpi/results.ts';

/** The middle value of a non-empty list; the mean of the two middle values for an even count. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export interface BaselineWindow {
  /** How many earlier periods with data the baseline needs. */
  periods: number;
  /** How far back (in periods) to look for them. */
  lookback: number;
}

/**
 * The trailing baseline of period `index`: the median of `valueOf` over the last `window.periods` earlier
 * periods where it is a number (`valueOf` returns null for a period without data), skipping partial periods,
 * looking back no further than `window.lookback` periods. Null when fewer are found: not enough history.
 */
export function trailingBaseline(
  periods: PeriodDocument[],
  index: number,
  valueOf: (doc: PeriodDocument) => number | null,
  window: BaselineWindow,
): number | null {
  const values: number[] = [];
  for (let i = index - 1; i >= Math.max(0, index - window.lookback) && values.length < window.periods; i--) {
    const value = periods[i].partial ? null : valueOf(periods[i]);
    if (value !== null) values.push(value);
  }
  return values.length === window.periods ? median(values) : null;
}
