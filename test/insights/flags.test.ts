import { describe, expect, it } from 'vitest';
import { FLAG_THRESHOLDS, flagRules, hasEnoughHistory, operationalFlags, type FlagThresholds } from '../../src/insights/index.ts';
import type { DocOptions } from '../helpers/documents.ts';
import { weeks } from '../helpers/documents.ts';

/** Four steady weeks (the baseline), then the week under test. */
function withBaseline(current: DocOptions, base: DocOptions = {}): ReturnType<typeof weeks> {
  const steady = { ...base, kpis: { conversations: 100, ...base.kpis } };
  return weeks([steady, steady, steady, steady, { ...current, kpis: { conversations: 100, ...current.kpis } }]);
}

const flagsOf = (periods: ReturnType<typeof weeks>) => operationalFlags(periods, periods.length - 1);

describe('history', () => {
  it('needs four earlier weeks with conversations', () => {
    const periods = weeks([100, 100, 100, 100, 500].map((conversations) => ({ kpis: { conversations } })));
    expect(hasEnoughHistory(periods, 3)).toBe(false);
    expect(operationalFlags(periods, 3)).toEqual([]);
    expect(hasEnoughHistory(periods, 4)).toBe(true);
    expect(operationalFlags(periods, 4)).toHaveLength(1);
  });

  it('skips weeks without conversations and partial weeks, within a lookback of eight', () => {
    const periods = weeks([
      { kpis: { conversations: 100 } },
      { kpis: { conversations: 0 } },
      { kpis: { conversations: 160 } },
      { kpis: { conversations: 999 }, partial: true },
      { kpis: { conversations: 100 } },
      { kpis: { conversations: 100 } },
      { kpis: { conversations: 200 } },
    ]);
    expect(operationalFlags(periods, 6)).toMatchObject([{ kpi: 'conversations', baseline: 100, current: 200 }]);
    const sparse = weeks([{ kpis: { conversations: 100 } }, ...Array.from({ length: 8 }, () => ({ kpis: { conversations: 0 } }))]);
    expect(hasEnoughHistory(sparse, 8)).toBe(false);
  });

  it('uses the median of the baseline, not the mean', () => {
    const periods = weeks([100, 100, 100, 1000, 135].map((conversations) => ({ kpis: { conversations } })));
    expect(flagsOf(periods)).toMatchObject([{ baseline: 100, direction: 'up' }]);
  });
});

describe('volume', () => {
  it('flags a move of 30% or more either way', () => {
    expect(flagsOf(withBaseline({ kpis: { conversations: 130 } }))).toMatchObject([{ kpi: 'conversations', direction: 'up', severity: 'warning' }]);
    expect(flagsOf(withBaseline({ kpis: { conversations: 129 } }))).toEqual([]);
    expect(flagsOf(withBaseline({ kpis: { conversations: 70 } }))).toMatchObject([{ direction: 'down', severity: 'warning' }]);
    expect(flagsOf(withBaseline({ kpis: { conversations: 71 } }))).toEqual([]);
  });

  it('is critical for a fall of twice the threshold, never for a rise (conversations are good going up)', () => {
    expect(flagsOf(withBaseline({ kpis: { conversations: 40 } }))).toMatchObject([{ direction: 'down', severity: 'critical' }]);
    expect(flagsOf(withBaseline({ kpis: { conversations: 0 } }))).toMatchObject([{ direction: 'down', severity: 'critical', current: 0 }]);
    expect(flagsOf(withBaseline({ kpis: { conversations: 300 } }))).toMatchObject([{ direction: 'up', severity: 'warning' }]);
  });

  it('does not flag a fall while the week is partial, but flags and marks a rise', () => {
    expect(flagsOf(withBaseline({ kpis: { conversations: 20 }, partial: true }))).toEqual([]);
    expect(flagsOf(withBaseline({ kpis: { conversations: 150 }, partial: true }))).toMatchObject([{ direction: 'up', partial: true }]);
    expect(flagsOf(withBaseline({ kpis: { conversations: 150 } }))[0].partial).toBe(false);
  });

  it('states the rule with the cadence', () => {
    expect(flagsOf(withBaseline({ kpis: { conversations: 40 } }))[0].rule).toBe('Conversations 30% or more below the median of the previous 4 weeks');
    const months = withBaseline({ kpis: { conversations: 40 }, cadence: 'month' });
    expect(flagsOf(months)[0].rule).toBe('Conversations 30% or more below the median of the previous 4 months');
  });
});

describe('fallback', () => {
  const base = { kpis: { fallback_rate: 0.1 } };
  it('flags a rise of 3 points or more, never a fall', () => {
    expect(flagsOf(withBaseline({ kpis: { fallback_rate: 0.13 } }, base))).toEqual([
      {
        kpi: 'fallback_rate',
        segment: null,
        direction: 'up',
        current: 0.13,
        baseline: 0.1,
        rule: 'Fallback rate 3 points or more above the median of the previous 4 weeks',
        severity: 'warning',
        partial: false,
      },
    ]);
    expect(flagsOf(withBaseline({ kpis: { fallback_rate: 0.1299 } }, base))).toEqual([]);
    expect(flagsOf(withBaseline({ kpis: { fallback_rate: 0.01 } }, base))).toEqual([]);
    expect(flagsOf(withBaseline({ kpis: { fallback_rate: 0.16 } }, base))[0].severity).toBe('critical');
  });

  it('flags nothing for a null figure now or in the baseline', () => {
    expect(flagsOf(withBaseline({ kpis: { fallback_rate: null } }, base))).toEqual([]);
    expect(flagsOf(withBaseline({ kpis: { fallback_rate: 0.5 } }))).toEqual([]);
  });

  it('checks each intent with 30 conversations or more, now and in its baseline', () => {
    const intents = (billing: number, orders: number, tiny: number, newcomer?: number) => ({
      intent: {
        billing: { conversations: 40, fallback_rate: billing },
        orders: { conversations: 30, fallback_rate: orders },
        tiny: { conversations: 29, fallback_rate: tiny },
        ...(newcomer === undefined ? {} : { newcomer: { conversations: 60, fallback_rate: newcomer } }),
      },
    });
    const periods = withBaseline({ kpis: { fallback_rate: 0.1 }, segments: intents(0.2, 0.14, 0.9, 0.9) }, { ...base, segments: intents(0.1, 0.1, 0.1) });
    const flags = flagsOf(periods);
    expect(flags.map((f) => f.segment)).toEqual([
      { dimension: 'intent', value: 'billing' },
      { dimension: 'intent', value: 'orders' },
    ]);
    expect(flags[0]).toMatchObject({ kpi: 'fallback_rate', current: 0.2, baseline: 0.1, severity: 'critical' });
    expect(flags[0].rule).toBe('Fallback rate 3 points or more above the median of the previous 4 weeks, for each intent with 30 conversations or more');
  });

  it('does not read inherited properties for a segment value such as "constructor"', () => {
    const periods = withBaseline({ segments: { intent: { constructor: { conversations: 50, fallback_rate: 0.9 } } } }, base);
    expect(flagsOf(periods)).toEqual([]);
  });
});

describe('error rate, latency and escalation', () => {
  it('flags the error rate moving 2 points either way; only a rise can be critical', () => {
    const base = { kpis: { error_conversation_rate: 0.05 } };
    expect(flagsOf(withBaseline({ kpis: { error_conversation_rate: 0.07 } }, base))).toMatchObject([{ direction: 'up', severity: 'warning' }]);
    expect(flagsOf(withBaseline({ kpis: { error_conversation_rate: 0.09 } }, base))).toMatchObject([{ direction: 'up', severity: 'critical' }]);
    expect(flagsOf(withBaseline({ kpis: { error_conversation_rate: 0.01 } }, base))).toMatchObject([{ direction: 'down', severity: 'warning' }]);
    expect(flagsOf(withBaseline({ kpis: { error_conversation_rate: 0.069 } }, base))).toEqual([]);
  });

  it('flags p90 latency 20% or more above the baseline', () => {
    const base = { kpis: { latency_p90_ms: 1000 } };
    expect(flagsOf(withBaseline({ kpis: { latency_p90_ms: 1200 } }, base))).toMatchObject([
      { kpi: 'latency_p90_ms', direction: 'up', rule: 'Latency p90 20% or more above the median of the previous 4 weeks' },
    ]);
    expect(flagsOf(withBaseline({ kpis: { latency_p90_ms: 1199 } }, base))).toEqual([]);
    expect(flagsOf(withBaseline({ kpis: { latency_p90_ms: 400 } }, base))).toEqual([]);
  });

  it('flags escalation moving 5 points either way (0.35 − 0.30 counts despite floating point)', () => {
    const base = { kpis: { escalation_rate: 0.3 } };
    expect(flagsOf(withBaseline({ kpis: { escalation_rate: 0.35 } }, base))).toMatchObject([{ direction: 'up', severity: 'warning' }]);
    expect(flagsOf(withBaseline({ kpis: { escalation_rate: 0.25 } }, base))).toMatchObject([
      { direction: 'down', rule: 'Escalation rate 5 points or more below the median of the previous 4 weeks' },
    ]);
    expect(flagsOf(withBaseline({ kpis: { escalation_rate: 0.34 } }, base))).toEqual([]);
  });
});

describe('tool failures', () => {
  it('flags the period and each tool with 30 calls or more', () => {
    const tools = (crm: number, rare: number) => ({ tool: { crm: { count: 50, tool_failure_rate: crm }, rare: { count: 5, tool_failure_rate: rare } } });
    const periods = withBaseline(
      { kpis: { tool_failure_rate: 0.08 }, breakdowns: tools(0.12, 0.9) },
      { kpis: { tool_failure_rate: 0.02 }, breakdowns: tools(0.02, 0) },
    );
    expect(flagsOf(periods)).toEqual([
      expect.objectContaining({ kpi: 'tool_failure_rate', segment: null, current: 0.08 }),
      expect.objectContaining({
        kpi: 'tool_failure_rate',
        segment: null,
        breakdown: { kind: 'tool', name: 'crm' },
        current: 0.12,
        baseline: 0.02,
        severity: 'critical',
        rule: 'Tool failure rate 5 points or more above the median of the previous 4 weeks, for each tool with 30 calls or more',
      }),
    ]);
    expect(flagsOf(periods)[0]).not.toHaveProperty('breakdown');
  });
});

describe('thresholds', () => {
  it('can be replaced, and every rule can be stated', () => {
    const strict: FlagThresholds = { ...FLAG_THRESHOLDS, checks: { ...FLAG_THRESHOLDS.checks, volume: { kpi: 'conversations', threshold: 0.1, directions: 'both' } } };
    const periods = withBaseline({ kpis: { conversations: 111 } });
    expect(operationalFlags(periods, 4)).toEqual([]);
    expect(operationalFlags(periods, 4, { thresholds: strict })).toHaveLength(1);
    expect(flagRules('week')).toEqual([
      'Conversations 30% or more above or below the median of the previous 4 weeks; falls are not checked while the week is partial',
      'Fallback rate 3 points or more above the median of the previous 4 weeks; also for each intent with 30 conversations or more',
      'Conversations with an error 2 points or more above or below the median of the previous 4 weeks',
      'Latency p90 20% or more above the median of the previous 4 weeks',
      'Escalation rate 5 points or more above or below the median of the previous 4 weeks',
      'Tool failure rate 5 points or more above the median of the previous 4 weeks; also for each tool with 30 calls or more',
    ]);
  });

  it('returns nothing for an index outside the periods', () => {
    expect(operationalFlags(withBaseline({}), 9)).toEqual([]);
  });
});
