import { describe, expect, it } from 'vitest';
import { goalSeries, kpiSeries } from '../../src/insights/index.ts';
import { weeks } from '../helpers/documents.ts';

const periods = weeks(
  Array.from({ length: 15 }, (_, i) => ({
    kpis: { conversations: i * 10, resolution_rate: i === 3 ? null : 0.5, availability: 1 },
    partial: i === 14,
    segments: i % 2 === 0 ? { channel: { web: { conversations: i, resolution_rate: 0.4 } } } : {},
    breakdowns: i === 14 ? { goal: { demo: { count: 1, goal_rate: 0.2 } } } : {},
  })),
);

describe('kpiSeries', () => {
  it('gives the last 12 periods by default, oldest first, marking the partial one', () => {
    const series = kpiSeries(periods, 'conversations');
    expect(series).toHaveLength(12);
    expect(series[0]).toEqual({ period: '2026-W04', start: '2026-01-19T00:00:00Z', value: 30, partial: false });
    expect(series.at(-1)).toEqual({ period: '2026-W15', start: '2026-04-06T00:00:00Z', value: 140, partial: true });
  });

  it('ends at a given index and keeps nulls', () => {
    expect(kpiSeries(periods, 'resolution_rate', { last: 3, index: 4 }).map((p) => [p.period, p.value])).toEqual([
      ['2026-W03', 0.5],
      ['2026-W04', null],
      ['2026-W05', 0.5],
    ]);
    expect(kpiSeries(periods, 'conversations', { last: 5, index: 1 }).map((p) => p.period)).toEqual(['2026-W01', '2026-W02']);
  });

  it('follows one segment value: 0 conversations and null rates where it does not appear', () => {
    const series = kpiSeries(periods, 'conversations', { last: 3, index: 4, segment: { dimension: 'channel', value: 'web' } });
    expect(series.map((p) => p.value)).toEqual([2, 0, 4]);
    expect(kpiSeries(periods, 'resolution_rate', { last: 2, index: 4, segment: { dimension: 'channel', value: 'web' } }).map((p) => p.value)).toEqual([null, 0.4]);
    expect(kpiSeries(periods, 'availability', { last: 1, segment: { dimension: 'channel', value: 'web' } })[0].value).toBeNull();
  });
});

describe('goalSeries', () => {
  it('gives the goal rate, 0 in periods with conversations but none of its events', () => {
    expect(goalSeries(periods, 'demo', { last: 2 }).map((p) => p.value)).toEqual([0, 0.2]);
    expect(goalSeries(periods, 'demo', { last: 1, index: 0 })[0].value).toBeNull();
  });
});
