import { describe, expect, it } from 'vitest';
import { ADDITIVE_KPIS, combineSegments, segmentFiguresOf } from '../../src/insights/index.ts';
import { kpiById } from '../../src/kpi/registry.ts';
import { doc, segment } from '../helpers/documents.ts';

describe('segment figures', () => {
  it('treats as additive only counts and sums the registry gives an empty value of 0', () => {
    for (const kpi of ADDITIVE_KPIS) expect(kpiById(kpi)?.emptyValue).toBe(0);
  });

  it('combines sums and leaves rates, means and distinct counts null', () => {
    const combined = combineSegments([segment({ conversations: 3, resolution_rate: 1, unique_users: 2 }), segment({ conversations: 3000, resolution_rate: 0, unique_users: 2 })]);
    expect(combined.conversations).toBe(3003);
    expect(combined.resolution_rate).toBeNull();
    expect(combined.unique_users).toBeNull();
  });

  it('gives a value absent from the period the figures of an empty segment', () => {
    const withCost = doc({ kpis: { conversations: 10, total_cost_usd: 1, deflection_value_usd: 4.5 } });
    expect(segmentFiguresOf(withCost, 'channel', 'web')).toMatchObject({ conversations: 0, total_cost_usd: 0, deflection_value_usd: 0, resolution_rate: null });
    const withoutCost = doc({ kpis: { conversations: 10, total_cost_usd: 1, deflection_value_usd: null } });
    expect(segmentFiguresOf(withoutCost, 'channel', 'web').deflection_value_usd).toBeNull();
    expect(segmentFiguresOf(withoutCost, 'channel', 'toString').conversations).toBe(0);
  });
});
