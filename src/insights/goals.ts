import { changeOf, type Change } from '../kpi/change.ts';
import type { PeriodDocument } from '../kpi/results.ts';
import { compareBytes, ownEntry } from './order.ts';

/** The config keys that label goals and pick the headline (config.md). */
export interface GoalConfig {
  goals: Record<string, { label: string }>;
  headline_goal: string | null;
}

export interface GoalRow {
  name: string;
  /** The config's label, else the name. */
  label: string;
  /** Goal events of that name in the period. */
  count: number;
  rate: number | null;
  /** Against the previous period's rate (decisions.md); null without a previous period. */
  change: Change | null;
  headline: boolean;
}

export interface GoalSummary {
  /** The headline goal first (when configured), then every other goal of the breakdown by name byte order. */
  goals: GoalRow[];
  headline: GoalRow | null;
}

/**
 * A goal's rate in a period: its breakdown's `goal_rate`; a goal absent from the breakdown had no goal events,
 * so its rate is 0 (null when the period has no conversations, as every rate).
 */
export function goalRate(doc: PeriodDocument, name: string): number | null {
  const figures = ownEntry(doc.breakdowns.goal, name);
  if (figures) return figures.goal_rate ?? null;
  return doc.kpis.conversations ? 0 : null;
}

/**
 * Every goal of the period's breakdown, plus the configured headline goal even when the period has none of
 * its events (it is the business outcome of the executive view), each with its label, rate and change.
 */
export function goalSummary(doc: PeriodDocument, previousDoc: PeriodDocument | null, config: GoalConfig): GoalSummary {
  const headlineName = config.headline_goal;
  const names = Object.keys(doc.breakdowns.goal).filter((name) => name !== headlineName).sort(compareBytes);
  const rowOf = (name: string): GoalRow => {
    const rate = goalRate(doc, name);
    return {
      name,
      label: ownEntry(config.goals, name)?.label ?? name,
      count: ownEntry(doc.breakdowns.goal, name)?.count ?? 0,
      rate,
      change: previousDoc === null ? null : changeOf(rate, goalRate(previousDoc, name)),
      headline: name === headlineName,
    };
  };
  const headline = headlineName === null ? null : rowOf(headlineName);
  return { goals: [...(headline ? [headline] : []), ...names.map(rowOf)], headline };
}
