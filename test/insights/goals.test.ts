import { describe, expect, it } from 'vitest';
import { goalSummary } from '../../src/insights/index.ts';
import { doc } from '../helpers/documents.ts';

const config = { goals: { demo_booked: { label: 'Booked demos' } }, headline_goal: 'demo_booked' };

describe('goalSummary', () => {
  const previous = doc({ kpis: { conversations: 100 }, breakdowns: { goal: { demo_booked: { count: 10, goal_rate: 0.1 } } } });
  const current = doc({
    kpis: { conversations: 200 },
    breakdowns: { goal: { lead_captured: { count: 30, goal_rate: 0.15 }, demo_booked: { count: 20, goal_rate: 0.1 }, toString: { count: 2, goal_rate: 0.01 } } },
  });

  it('lists every goal with its label, rate and change, the headline first', () => {
    const summary = goalSummary(current, previous, config);
    expect(summary.goals.map((g) => [g.name, g.label, g.headline])).toEqual([
      ['demo_booked', 'Booked demos', true],
      ['lead_captured', 'lead_captured', false],
      ['toString', 'toString', false],
    ]);
    expect(summary.headline).toBe(summary.goals[0]);
    expect(summary.goals[0].change).toEqual({ delta: 0, relative: 0 });
    expect(summary.goals[1]).toMatchObject({ count: 30, rate: 0.15, change: { delta: 0.15, relative: null } });
  });

  it('keeps the headline goal when the period has none of its events, and has no change without a previous period', () => {
    const quiet = doc({ kpis: { conversations: 50 } });
    expect(goalSummary(quiet, previous, config).headline).toMatchObject({ name: 'demo_booked', count: 0, rate: 0, change: { delta: -0.1, relative: -1 } });
    expect(goalSummary(doc({ kpis: { conversations: 0 } }), null, config).headline).toMatchObject({ rate: null, change: null });
  });

  it('has no headline without one configured', () => {
    const summary = goalSummary(current, null, { goals: {}, headline_goal: null });
    expect(summary.headline).toBeNull();
    expect(summary.goals.map((g) => g.name)).toEqual(['demo_booked', 'lead_captured', 'toString']);
  });
});
