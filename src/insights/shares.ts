import type { Dimension } from '../kpi/registry.ts';
import type { PeriodDocument } from '../kpi/results.ts';
import { shareOfTotal } from './figures.ts';
import { compareBytes } from './order.ts';

export interface Share {
  value: string;
  conversations: number;
  /** Fraction of the period's conversations (0–1); null only for a period without conversations. */
  share: number | null;
}

/**
 * The distribution of a period's conversations over one dimension (channel mix, entry-point distribution):
 * every segment value with its conversations and share, by conversations descending, ties by value byte order.
 * The shares add up to 1 since every conversation has exactly one value (a missing one is `(none)`).
 */
export function shareOf(doc: PeriodDocument, dimension: Dimension): Share[] {
  const total = doc.kpis.conversations;
  return Object.entries(doc.segments[dimension])
    .map(([value, figures]) => {
      const conversations = figures.conversations ?? 0;
      return { value, conversations, share: shareOfTotal(conversations, total) };
    })
    .sort((a, b) => b.conversations - a.conversations || compareBytes(a.value, b.value));
}
