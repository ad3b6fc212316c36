/**
 * The one place that turns KPI figures into text. Pages, charts (tick labels, tooltips, text alternatives) and
 * MDX components all format through this module, so a value reads the same everywhere. The locale is fixed to
 * en-US and nothing depends on the machine: the same figure always gives the same string.
 */
import type { Direction, Unit } from '../kpi/registry.ts';

export type { Direction, Unit };

/** What a missing figure shows as, everywhere. */
export const NO_VALUE = '—';

/** Above this many milliseconds, durations are shown in seconds. */
export const SECONDS_THRESHOLD_MS = 10_000;

export type Tone = 'better' | 'worse' | 'neutral';

/** Changes smaller than this are treated as no change (floating-point noise, not movement). */
const EPSILON = 1e-12;

const formatters = new Map<string, Intl.NumberFormat>();
function nf(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = JSON.stringify(options);
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-US', options);
    formatters.set(key, f);
  }
  return f;
}

const finite = (value: number | null | undefined): value is number => typeof value === 'number' && Number.isFinite(value);

/** Fraction digits for a dollar amount: cents from $1 up, whole dollars from $10,000, three significant digits below $1. */
function usdDigits(abs: number): { min: number; max: number } {
  if (abs >= 10_000) return { min: 0, max: 0 };
  if (abs >= 1 || abs === 0) return { min: 2, max: 2 };
  const digits = Math.min(6, Math.max(2, -Math.floor(Math.log10(abs)) + 2));
  return { min: 2, max: digits };
}

/**
 * A figure for reading: `61.2%` (rates, stored as 0–1), `1,234 ms` or `12.3 s` (from 10 s up), `$1,234.56`,
 * `$0.0123` (small amounts keep three significant digits), `12,345` (counts), `1,234.5` (tokens). Null, NaN and
 * infinities give `—`.
 */
export function formatValue(value: number | null | undefined, unit: Unit): string {
  if (!finite(value)) return NO_VALUE;
  switch (unit) {
    case 'rate':
      return nf({ style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
    case 'ms': {
      const abs = Math.abs(value);
      if (abs >= SECONDS_THRESHOLD_MS) return `${nf({ minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value / 1000)} s`;
      return `${nf({ maximumFractionDigits: abs < 10 ? 1 : 0 }).format(value)} ms`;
    }
    case 'usd': {
      const { min, max } = usdDigits(Math.abs(value));
      return nf({ style: 'currency', currency: 'USD', minimumFractionDigits: min, maximumFractionDigits: max }).format(value);
    }
    case 'tokens':
      return nf({ maximumFractionDigits: 1 }).format(value);
    case 'count':
      return nf({ maximumFractionDigits: 0 }).format(value);
  }
}

/**
 * A change against the previous period: rates move in percentage points of their delta (`+2.4 pts`), every
 * other unit in percent of its relative change (`+12.3%`). When the previous value was 0 the relative change
 * is undefined; the absolute delta is shown instead (`+5`, `+$0.50`). A missing change gives `—`.
 */
export function formatChange(change: { delta: number | null; relative: number | null }, unit: Unit): string {
  const { delta, relative } = change;
  if (!finite(delta)) return NO_VALUE;
  if (unit === 'rate') {
    return `${nf({ minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(delta * 100)} pts`;
  }
  if (finite(relative)) {
    return nf({ style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(relative);
  }
  const text = formatValue(delta, unit);
  return delta > EPSILON ? `+${text}` : text;
}

/** Whether a change is good news for the bot, given the KPI's good direction (`good` in the registry). */
export function changeTone(delta: number | null | undefined, good: Direction): Tone {
  if (!finite(delta) || Math.abs(delta) < EPSILON || good === 'neutral') return 'neutral';
  return (delta > 0) === (good === 'up') ? 'better' : 'worse';
}

/** Whether durations up to `max` ms are shown in seconds on an axis. */
export function axisInSeconds(max: number): boolean {
  return Math.abs(max) >= SECONDS_THRESHOLD_MS;
}

/** The unit part of an axis label: `%`, `ms` or `s`, `USD`, `tokens`, or none for counts. */
export function unitSymbol(unit: Unit, max = 0): string {
  switch (unit) {
    case 'rate':
      return '%';
    case 'ms':
      return axisInSeconds(max) ? 's' : 'ms';
    case 'usd':
      return 'USD';
    case 'tokens':
      return 'tokens';
    case 'count':
      return '';
  }
}

/** A default axis label for a unit: `Percent (%)`, `Milliseconds (ms)`, `Seconds (s)`, `US dollars (USD)`, `Tokens`, `Count`. */
export function unitAxisLabel(unit: Unit, max = 0): string {
  switch (unit) {
    case 'rate':
      return 'Percent (%)';
    case 'ms':
      return axisInSeconds(max) ? 'Seconds (s)' : 'Milliseconds (ms)';
    case 'usd':
      return 'US dollars (USD)';
    case 'tokens':
      return 'Tokens';
    case 'count':
      return 'Count';
  }
}

/** Fraction digits needed to tell apart ticks `step` apart. */
function stepDigits(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  return Math.min(6, Math.max(0, -Math.floor(Math.log10(step) + 1e-9)));
}

/**
 * A tick formatter for an axis of `unit` whose ticks lie about `step` apart and whose largest magnitude is
 * `max`: short labels (`40%`, `1.5 s`, `$0.02`, `12K`) with just enough decimals to tell ticks apart.
 */
export function tickFormatter(unit: Unit, max: number, step: number): (value: number) => string {
  switch (unit) {
    case 'rate': {
      const digits = stepDigits(step * 100);
      return (v) => nf({ style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
    }
    case 'ms': {
      if (axisInSeconds(max)) {
        const digits = stepDigits(step / 1000);
        return (v) => nf({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v / 1000);
      }
      const digits = stepDigits(step);
      return (v) => nf({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
    }
    case 'usd': {
      if (Math.abs(max) >= 10_000) return (v) => nf({ style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 1 }).format(v);
      const digits = stepDigits(step);
      return (v) => nf({ style: 'currency', currency: 'USD', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
    }
    case 'tokens':
    case 'count': {
      if (Math.abs(max) >= 10_000) return (v) => nf({ notation: 'compact', maximumFractionDigits: 1 }).format(v);
      const digits = stepDigits(step);
      return (v) => nf({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
    }
  }
}
