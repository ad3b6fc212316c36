import { describe, expect, it } from 'vitest';
import { actionOutcome } from '../../src/content/actions.ts';
import type { Action } from '../../src/content/schema.ts';
import { doc } from '../helpers/documents.ts';

const action = (expected: Action['expected'], kpi: Action['kpi'] = 'fallback_rate'): Action => ({ title: 'Recalibrate', owner: 'Sam', kpi, expected });
const may = doc({ period: '2026-05', cadence: 'month', kpis: { fallback_rate: 0.2, cost_per_conversation_usd: 0.02 }, segments: { intent: { billing: { fallback_rate: 0.3 } } } });
const june = (kpis: Record<string, number | null>, options: { partial?: boolean; billing?: number | null } = {}) =>
  doc({ period: '2026-06', cadence: 'month', partial: options.partial, kpis, segments: options.billing === undefined ? {} : { intent: { billing: { fallback_rate: options.billing } } } });

describe('action follow-up', () => {
  it('is met when the KPI moved the expected way by at least the expected points', () => {
    const o = actionOutcome(action({ direction: 'down', size: 3, unit: 'pp' }), may, june({ fallback_rate: 0.16 }));
    expect(o.verdict).toBe('met');
    expect(o.before).toBe(0.2);
    expect(o.after).toBe(0.16);
    expect(o.reason).toBe('down 4.0 points, expected down 3 points or more');
  });

  it('is not met when it moved too little, or the wrong way', () => {
    expect(actionOutcome(action({ direction: 'down', size: 5, unit: 'pp' }), may, june({ fallback_rate: 0.17 })).verdict).toBe('not met');
    expect(actionOutcome(action({ direction: 'down' }), may, june({ fallback_rate: 0.25 })).verdict).toBe('not met');
    expect(actionOutcome(action({ direction: 'down' }), may, june({ fallback_rate: 0.2 })).reason).toBe('unchanged, expected down');
  });

  it('judges sizes in percent relative to the previous value', () => {
    const cost = (after: number) => actionOutcome(action({ direction: 'down', size: 10, unit: 'percent' }, 'cost_per_conversation_usd'), may, june({ cost_per_conversation_usd: after }));
    expect(cost(0.0175).verdict).toBe('met'); // −12.5%
    expect(cost(0.019).verdict).toBe('not met'); // −5%
  });

  it('reads the figure of the action\'s segment', () => {
    const o = actionOutcome(action({ direction: 'down', size: 5, unit: 'pp', segment: 'intent: billing' }), may, june({ fallback_rate: 0.25 }, { billing: 0.22 }));
    expect(o.segment).toEqual({ dimension: 'intent', value: 'billing' });
    expect([o.before, o.after, o.verdict]).toEqual([0.3, 0.22, 'met']);
  });

  it('is too early without a next period, without its figure, or while it fills and the goal is not reached yet', () => {
    expect(actionOutcome(action({ direction: 'down' }), may, null).verdict).toBe('too early');
    expect(actionOutcome(action({ direction: 'down' }), may, june({ fallback_rate: null })).verdict).toBe('too early');
    expect(actionOutcome(action({ direction: 'down', segment: 'intent: billing' }), may, june({ fallback_rate: 0.1 })).verdict).toBe('too early');
    const filling = actionOutcome(action({ direction: 'down', size: 5, unit: 'pp' }), may, june({ fallback_rate: 0.18 }, { partial: true }));
    expect(filling.verdict).toBe('too early');
    expect(filling.reason).toContain('still filling');
    expect(actionOutcome(action({ direction: 'down', size: 1, unit: 'pp' }), may, june({ fallback_rate: 0.18 }, { partial: true })).verdict).toBe('met');
  });
});
