import { interpretationNotes, operationalFlags, type Flag, type Note } from '../insights/index.ts';
import type { PeriodDocument } from '../kpi/results.ts';

/** The published kpis.json: the engine's document plus the period's triggered flags and interpretation notes. */
export type PublishedDocument = PeriodDocument & { flags: Flag[]; notes: Note[] };

export function periodExport(periods: PeriodDocument[], index: number): PublishedDocument {
  const doc = periods[index];
  return {
    ...doc,
    flags: operationalFlags(periods, index), // empty without enough history for a baseline
    notes: interpretationNotes(doc, periods[index - 1] ?? null),
  };
}
