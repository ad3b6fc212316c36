import { describe, expect, it } from 'vitest';
import { underperformingSegments } from '../../src/insights/index.ts';
import { underperformingView } from '../../src/site/underperformingView.ts';
import { doc } from '../helpers/documents.ts';

describe('underperformingView', () => {
  const d = doc({
    kpis: { conversations: 1000, resolution_rate: 0.7, fallback_rate: 0.1, latency_p90_ms: 1000 },
    segments: {
      intent: {
        billing: { conversations: 400, resolution_rate: 0.5, fallback_rate: 0.25, latency_p90_ms: 1000 },
        refunds: { conversations: 300, resolution_rate: 0.6, fallback_rate: 0.1, latency_p90_ms: 1500 },
        other: { conversations: 300, resolution_rate: 0.95, fallback_rate: 0.02, latency_p90_ms: 700 },
      },
    },
  });
  const found = (['resolution_rate', 'fallback_rate', 'latency_p90_ms'] as const)
    .flatMap((kpi) => underperformingSegments(d, 'intent', kpi).map((u) => ({ ...u, kpi, dimension: 'intent' as const })));

  it('lists each segment value once, with every KPI worse there, worst first, and the rule once', () => {
    const view = underperformingView(found, 10);
    expect(view.groups).toEqual([
      { dimension: 'intent', value: 'refunds', conversations: 300, findings: ['Latency p90 1,500 ms against 1,000 ms overall', 'Resolution rate 60.0% against 70.0% overall'] },
      { dimension: 'intent', value: 'billing', conversations: 400, findings: ['Resolution rate 50.0% against 70.0% overall', 'Fallback rate 25.0% against 10.0% overall'] },
    ]);
    expect(view.rule).toBe(
      "Latency p90 20% or more above the whole period's; Resolution rate 5 points or more below the whole period's; Fallback rate 5 points or more above the whole period's; " +
        'in segments with at least 5% of the conversations and 30 conversations',
    );
  });

  it('keeps the findings of most impact', () => {
    expect(underperformingView(found, 1).groups).toEqual([
      { dimension: 'intent', value: 'refunds', conversations: 300, findings: ['Latency p90 1,500 ms against 1,000 ms overall'] },
    ]);
  });

  it('is empty when nothing underperforms', () => {
    expect(underperformingView([], 10)).toEqual({ groups: [], rule: '' });
  });
});
