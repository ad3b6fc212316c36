import { describe, expect, it } from 'vitest';
import { DEFAULT_TOP_SEGMENTS, UNDERPERFORMING_THRESHOLDS, segmentRows, underperformingSegments } from '../../src/insights/index.ts';
import type { SegmentFigures } from '../../src/kpi/results.ts';
import { doc } from '../helpers/documents.ts';

const channelDoc = (channel: Record<string, Partial<SegmentFigures>>, conversations: number) => doc({ kpis: { conversations }, segments: { channel } });

describe('segmentRows', () => {
  // Ten values: 100, 90, …, 10 conversations; the tail holds the two smallest, one literally named like the tail.
  const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'Other', 'Other (2 values)', '(other)'];
  const values = (scale: number) =>
    Object.fromEntries(
      names.map((name, i) => [
        name,
        { conversations: (100 - 10 * i) * scale, resolution_rate: 0.5, error_count: i, total_cost_usd: 1, deflection_value_usd: i === 9 ? null : 2, unique_users: 5 },
      ]),
    );
  const current = channelDoc(values(1), 550);

  it('shows the top 8 values and groups the rest into one tail row that no value can be mistaken for', () => {
    const rows = segmentRows(current, null, 'channel');
    expect(DEFAULT_TOP_SEGMENTS).toBe(8);
    expect(rows.map((r) => [r.kind, r.value, r.label])).toEqual([
      ...names.slice(0, 8).map((n) => ['value', n, n]),
      ['tail', null, 'Other (2 values)'],
    ]);
    const tail = rows[8];
    expect(tail.kind === 'tail' && tail.values).toEqual(['Other (2 values)', '(other)']);
    expect(rows.filter((r) => r.label === 'Other (2 values)').map((r) => r.kind)).toEqual(['tail']);
  });

  it('gives the tail sums where they add up, null elsewhere (never an average of rates)', () => {
    const tail = segmentRows(current, null, 'channel').at(-1)!;
    expect(tail.figures.conversations).toBe(30);
    expect(tail.share).toBeCloseTo(30 / 550, 12);
    expect(tail.figures.error_count).toBe(17);
    expect(tail.figures.total_cost_usd).toBe(2);
    expect(tail.figures.deflection_value_usd).toBeNull();
    expect(tail.figures.resolution_rate).toBeNull();
    expect(tail.figures.unique_users).toBeNull();
    expect(tail.change).toBeNull();
  });

  it('has no tail when every value fits, and a one-value tail is labelled in the singular', () => {
    expect(segmentRows(current, null, 'channel', { top: 10 }).every((r) => r.kind === 'value')).toBe(true);
    expect(segmentRows(current, null, 'channel', { top: 9 }).at(-1)!.label).toBe('Other (1 value)');
  });

  it('compares each row with the same value(s) in the previous period; an absent value had no conversations', () => {
    const previous = channelDoc({ ...values(2), gone: { conversations: 5 } }, 1105);
    delete (previous.segments.channel as Record<string, unknown>).b;
    const rows = segmentRows(current, previous, 'channel');
    expect(rows[0].change!.conversations).toEqual({ delta: -100, relative: -0.5 });
    expect(rows[0].change!.resolution_rate).toEqual({ delta: 0, relative: 0 });
    expect(rows[1].value).toBe('b');
    expect(rows[1].change!.conversations).toEqual({ delta: 90, relative: null });
    expect(rows[1].change!.resolution_rate).toEqual({ delta: null, relative: null });
    expect(rows[8].change!.conversations).toEqual({ delta: -30, relative: -0.5 });
    expect(rows[8].change!.resolution_rate).toEqual({ delta: null, relative: null });
  });

  it('does not read inherited properties of the previous period for a value such as "constructor"', () => {
    const now = channelDoc({ constructor: { conversations: 10, resolution_rate: 0.5 } }, 10);
    const [row] = segmentRows(now, channelDoc({ web: { conversations: 10 } }, 10), 'channel');
    expect(row.change!.conversations).toEqual({ delta: 10, relative: null });
  });
});

describe('underperformingSegments', () => {
  const intents = {
    wide: { conversations: 300, escalation_rate: 0.26 },
    deep: { conversations: 100, escalation_rate: 0.3 },
    near: { conversations: 200, escalation_rate: 0.24 },
    small: { conversations: 29, escalation_rate: 0.9 },
    sliver: { conversations: 40, escalation_rate: 0.9 },
    fine: { conversations: 331, escalation_rate: 0.1 },
  };
  const d = doc({ kpis: { conversations: 1000, escalation_rate: 0.2, resolution_rate: 0.6, latency_p90_ms: 1000 }, segments: { intent: intents } });

  it('selects values worse than the period by the margin, with enough volume, by impact', () => {
    const found = underperformingSegments(d, 'intent', 'escalation_rate');
    expect(found.map((s) => s.value)).toEqual(['wide', 'deep']);
    expect(found[0]).toMatchObject({ conversations: 300, share: 0.3, current: 0.26, overall: 0.2 });
    expect(found[0].gap).toBeCloseTo(0.06, 12);
    expect(found[0].impact).toBeCloseTo(18, 9);
    expect(found[1].impact).toBeCloseTo(10, 9);
    expect(`${found[0].rule.margin}, ${found[0].rule.volume}`).toBe('Escalation rate 5 points or more above the whole period\'s, in segments with at least 5% of the conversations and 30 conversations');
  });

  it('reads "worse" from the registry: lower for resolution, higher for latency (relative margin)', () => {
    const mixed = doc({
      kpis: { conversations: 1000, resolution_rate: 0.6, latency_p90_ms: 1000 },
      segments: {
        intent: {
          low: { conversations: 500, resolution_rate: 0.5, latency_p90_ms: 1199 },
          high: { conversations: 500, resolution_rate: 0.7, latency_p90_ms: 1200 },
        },
      },
    });
    expect(underperformingSegments(mixed, 'intent', 'resolution_rate').map((s) => s.value)).toEqual(['low']);
    expect(underperformingSegments(mixed, 'intent', 'latency_p90_ms').map((s) => [s.value, s.gap])).toEqual([['high', 0.2]]);
    expect(underperformingSegments(mixed, 'intent', 'latency_p90_ms')[0].rule.margin).toMatch(/^Latency p90 20% or more above the whole period's/);
  });

  it('is empty for neutral and additive KPIs and when the period figure is null', () => {
    expect(underperformingSegments(d, 'intent', 'tokens_per_conversation')).toEqual([]);
    expect(underperformingSegments(d, 'intent', 'error_count')).toEqual([]);
    expect(underperformingSegments(d, 'intent', 'satisfaction_rate')).toEqual([]);
  });

  it('takes other thresholds and breaks impact ties by byte order', () => {
    const tie = doc({
      kpis: { conversations: 200, escalation_rate: 0.2 },
      segments: { intent: { b: { conversations: 100, escalation_rate: 0.3 }, a: { conversations: 100, escalation_rate: 0.3 } } },
    });
    expect(underperformingSegments(tie, 'intent', 'escalation_rate').map((s) => s.value)).toEqual(['a', 'b']);
    expect(underperformingSegments(tie, 'intent', 'escalation_rate', { thresholds: { ...UNDERPERFORMING_THRESHOLDS, rateMargin: 0.2 } })).toEqual([]);
  });
});
