import { describe, expect, it } from 'vitest';
import { changeTone, formatChange, formatValue, NO_VALUE, tickFormatter, unitAxisLabel } from '../../src/format/index.ts';

describe('formatValue', () => {
  it('shows rates as percentages with one decimal', () => {
    expect(formatValue(0.6123, 'rate')).toBe('61.2%');
    expect(formatValue(1, 'rate')).toBe('100.0%');
    expect(formatValue(0, 'rate')).toBe('0.0%');
  });

  it('shows durations in ms up to 10 s, in seconds above', () => {
    expect(formatValue(1234, 'ms')).toBe('1,234 ms');
    expect(formatValue(1234.4, 'ms')).toBe('1,234 ms');
    expect(formatValue(4.25, 'ms')).toBe('4.3 ms');
    expect(formatValue(12_345, 'ms')).toBe('12.3 s');
    expect(formatValue(10_000, 'ms')).toBe('10.0 s');
  });

  it('shows money with a $ and sensible decimals for small amounts', () => {
    expect(formatValue(0.0123, 'usd')).toBe('$0.0123');
    expect(formatValue(0.5, 'usd')).toBe('$0.50');
    expect(formatValue(0.123456, 'usd')).toBe('$0.123');
    expect(formatValue(0, 'usd')).toBe('$0.00');
    expect(formatValue(1234.567, 'usd')).toBe('$1,234.57');
    expect(formatValue(12_345.6, 'usd')).toBe('$12,346');
    expect(formatValue(-0.5, 'usd')).toBe('-$0.50');
  });

  it('shows counts and tokens with thousands separators', () => {
    expect(formatValue(1_234_567, 'count')).toBe('1,234,567');
    expect(formatValue(1234.56, 'tokens')).toBe('1,234.6');
    expect(formatValue(1200, 'tokens')).toBe('1,200');
  });

  it('shows a dash for missing values', () => {
    for (const unit of ['count', 'rate', 'ms', 'usd', 'tokens'] as const) {
      expect(formatValue(null, unit)).toBe(NO_VALUE);
      expect(formatValue(Number.NaN, unit)).toBe('—');
      expect(formatValue(Number.POSITIVE_INFINITY, unit)).toBe('—');
    }
  });
});

describe('formatChange', () => {
  it('moves rates in percentage points', () => {
    expect(formatChange({ delta: 0.024, relative: 0.05 }, 'rate')).toBe('+2.4 pts');
    expect(formatChange({ delta: -0.0125, relative: -0.02 }, 'rate')).toBe('-1.3 pts');
    expect(formatChange({ delta: 0, relative: 0 }, 'rate')).toBe('0.0 pts');
  });

  it('moves every other unit in percent', () => {
    expect(formatChange({ delta: 123, relative: 0.123 }, 'count')).toBe('+12.3%');
    expect(formatChange({ delta: -40, relative: -0.05 }, 'ms')).toBe('-5.0%');
    expect(formatChange({ delta: 0.001, relative: 0.0004 }, 'usd')).toBe('0.0%');
  });

  it('falls back to the absolute delta when the previous value was 0', () => {
    expect(formatChange({ delta: 5, relative: null }, 'count')).toBe('+5');
    expect(formatChange({ delta: 0.5, relative: null }, 'usd')).toBe('+$0.50');
  });

  it('shows a dash without a change', () => {
    expect(formatChange({ delta: null, relative: null }, 'rate')).toBe('—');
    expect(formatChange({ delta: null, relative: null }, 'count')).toBe('—');
  });
});

describe('changeTone', () => {
  it('follows the good direction', () => {
    expect(changeTone(0.02, 'up')).toBe('better');
    expect(changeTone(-0.02, 'up')).toBe('worse');
    expect(changeTone(-15, 'down')).toBe('better');
    expect(changeTone(15, 'down')).toBe('worse');
  });

  it('is neutral without movement, without a value or without a good direction', () => {
    expect(changeTone(0, 'up')).toBe('neutral');
    expect(changeTone(1e-15, 'down')).toBe('neutral');
    expect(changeTone(null, 'up')).toBe('neutral');
    expect(changeTone(3, 'neutral')).toBe('neutral');
  });
});

describe('axis formatting', () => {
  it('gives ticks just enough decimals', () => {
    expect([0, 0.2, 0.4].map(tickFormatter('rate', 0.4, 0.2))).toEqual(['0%', '20%', '40%']);
    expect([0, 0.005, 0.01].map(tickFormatter('rate', 0.01, 0.005))).toEqual(['0.0%', '0.5%', '1.0%']);
    expect([0, 0.005, 0.01].map(tickFormatter('usd', 0.01, 0.005))).toEqual(['$0.000', '$0.005', '$0.010']);
    expect([0, 5000, 10000].map(tickFormatter('count', 10000, 5000))).toEqual(['0', '5K', '10K']);
  });

  it('switches durations to seconds with the label', () => {
    expect([0, 10_000, 20_000].map(tickFormatter('ms', 20_000, 10_000))).toEqual(['0', '10', '20']);
    expect(unitAxisLabel('ms', 20_000)).toBe('Seconds (s)');
    expect(unitAxisLabel('ms', 2_000)).toBe('Milliseconds (ms)');
    expect(unitAxisLabel('rate')).toBe('Percent (%)');
  });
});
