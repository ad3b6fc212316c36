import { describe, expect, it } from 'vitest';
import { validateEvent } from '../../src/data/schema.ts';
import { daysFromCivil, formatUtc, parseDateTime, parseEpochMs, TS_LIMIT_MS } from '../../src/data/timestamp.ts';

// events.md "Values", `ts`: the accepted RFC 3339 forms and epoch milliseconds, all kept to the millisecond.
const T = Date.UTC(2026, 4, 3, 10, 15, 0); // 2026-05-03T10:15:00Z

const ok = (text: string) => {
  const r = parseDateTime(text);
  if (!r.ok) throw new Error(`${text}: ${r.reason}`);
  return r.ms;
};
const reason = (text: string) => {
  const r = parseDateTime(text);
  if (r.ok) throw new Error(`${text} was accepted as ${formatUtc(r.ms)}`);
  return r.reason;
};
/** The reason validateEvent gives for an event whose only fault is its `ts`. */
const tsReason = (ts: unknown) => {
  const r = validateEvent({ event_id: 'e', ts, conversation_id: 'c', type: 'user_message' });
  return r.ok ? 'accepted' : r.reason;
};

describe('RFC 3339 date-times', () => {
  it('accepts Z and lowercase z', () => {
    expect(ok('2026-05-03T10:15:00Z')).toBe(T);
    expect(ok('2026-05-03T10:15:00z')).toBe(T);
  });

  it('accepts ±HH:MM, ±HHMM and ±HH offsets', () => {
    expect(ok('2026-05-03T12:15:00+02:00')).toBe(T);
    expect(ok('2026-05-03T15:45:00+0530')).toBe(T);
    expect(ok('2026-05-03T06:15:00-04:00')).toBe(T);
    expect(ok('2026-05-03T15:15:00+05')).toBe(T);
    expect(ok('2026-05-03T05:15:00-05')).toBe(T);
    expect(ok('2026-05-03T04:45:00-0530')).toBe(T);
  });

  it('reads -00:00 (and +00, as PostgreSQL writes it) as UTC', () => {
    expect(ok('2026-05-03T10:15:00-00:00')).toBe(T);
    expect(ok('2026-05-03 10:15:00+00')).toBe(T);
  });

  it('accepts a space or a lowercase t between date and time', () => {
    expect(ok('2026-05-03 10:15:00Z')).toBe(T);
    expect(ok('2026-05-03t10:15:00Z')).toBe(T);
    expect(ok('2026-05-03 12:15:00.5+02:00')).toBe(T + 500);
  });

  it('accepts fractions of any length', () => {
    expect(ok('2026-05-03T12:15:00.5+02:00')).toBe(T + 500);
    expect(ok('2026-05-03T10:15:00.12Z')).toBe(T + 120);
    expect(ok('2026-05-03T10:15:00.123Z')).toBe(T + 123);
    expect(ok('2026-05-03T10:15:00.000000001Z')).toBe(T);
  });

  it('drops digits below the millisecond instead of rounding them', () => {
    expect(ok('2026-05-03T10:15:00.1239Z')).toBe(T + 123);
    expect(ok('2026-05-03T10:15:00.999999Z')).toBe(T + 999);
    expect(ok('2026-05-03T12:15:00.0009+02:00')).toBe(T);
  });

  it('rejects a date-time without an offset as ambiguous, with the reason of events.md', () => {
    expect(reason('2026-05-03T10:15:00')).toBe('no timezone offset');
    expect(reason('2026-05-03 10:15:00.250')).toBe('no timezone offset');
    expect(tsReason('2026-05-03T10:15:00')).toBe('ts: no timezone offset');
  });

  it('rejects dates and times that do not exist', () => {
    expect(reason('2026-02-30T10:00:00Z')).toMatch(/not a real date/);
    expect(reason('2026-02-29T10:00:00Z')).toMatch(/not a real date/);
    expect(ok('2024-02-29T10:00:00Z')).toBe(Date.UTC(2024, 1, 29, 10));
    expect(reason('2100-02-29T00:00:00Z')).toMatch(/not a real date/);
    expect(reason('2026-13-01T00:00:00Z')).toMatch(/not a real date/);
    expect(reason('2026-00-10T00:00:00Z')).toMatch(/not a real date/);
    expect(reason('2026-04-31T00:00:00Z')).toMatch(/not a real date/);
    expect(reason('2026-05-03T24:00:00Z')).toMatch(/not a real time/);
    expect(reason('2026-05-03T23:60:00Z')).toMatch(/not a real time/);
    expect(reason('2026-05-03T23:59:60Z')).toMatch(/not a real time/);
    expect(reason('2026-05-03T10:15:00+24:00')).toMatch(/offset/);
  });

  it('rejects a "." without digits and other malformed forms', () => {
    for (const text of [
      '2026-05-03T10:15:00.Z',
      '2026-05-03T10:15:00.+02:00',
      '2026-05-03T10:15Z', // seconds are required
      '2026-05-03',
      '2026-5-3T10:15:00Z',
      '2026-05-03T10:15:00 Z',
      '2026-05-03T10:15:00+2',
      '2026-05-03T10:15:00+02:',
      '2026-05-03T10:15:00+02:0',
      '2026-05-03T10:15:00UTC',
      ' 2026-05-03T10:15:00Z',
      '2026-05-03T10:15:00Z ',
      '2026-05-03_10:15:00Z',
      'yesterday',
      '1768471200000',
      '',
    ]) {
      expect(parseDateTime(text).ok, text).toBe(false);
    }
    expect(tsReason('yesterday')).toBe('ts: not an RFC 3339 date-time or epoch milliseconds: "yesterday"');
  });

  it('accepts only instants from 1970 to 9999', () => {
    expect(ok('1970-01-01T00:00:00Z')).toBe(0);
    expect(ok('1969-12-31T23:30:00-01:00')).toBe(30 * 60_000); // an instant in 1970, whatever the local date
    expect(reason('1969-12-31T23:59:59.999Z')).toMatch(/between 1970 and 9999/);
    expect(reason('1970-01-01T00:30:00+01:00')).toMatch(/between 1970 and 9999/);
    expect(reason('0000-01-01T00:00:00Z')).toMatch(/between 1970 and 9999/);
    expect(ok('9999-12-31T23:59:59.999Z')).toBe(TS_LIMIT_MS - 1);
    expect(reason('9999-12-31T23:59:59.999-01:00')).toMatch(/between 1970 and 9999/);
  });
});

describe('epoch milliseconds', () => {
  it('accepts non-negative numbers, truncating fractions toward zero', () => {
    expect(parseEpochMs(T)).toEqual({ ok: true, ms: T });
    expect(parseEpochMs(T + 0.999)).toEqual({ ok: true, ms: T });
    expect(parseEpochMs(1773024656986.516)).toEqual({ ok: true, ms: 1773024656986 });
    expect(parseEpochMs(0)).toEqual({ ok: true, ms: 0 });
    expect(parseEpochMs(0.5)).toEqual({ ok: true, ms: 0 });
  });

  it('rejects negative, non-finite and out-of-range numbers', () => {
    expect(parseEpochMs(-5)).toEqual({ ok: false, reason: 'epoch milliseconds must not be negative' });
    expect(parseEpochMs(-0.5).ok).toBe(false);
    expect(parseEpochMs(Number.NaN).ok).toBe(false);
    expect(parseEpochMs(Infinity).ok).toBe(false);
    expect(parseEpochMs(TS_LIMIT_MS - 1).ok).toBe(true);
    expect(parseEpochMs(TS_LIMIT_MS).ok).toBe(false);
  });

  it('is a JSON number in an event; the same digits inside a string are rejected', () => {
    expect(tsReason(1768471200000)).toBe('accepted');
    expect(tsReason(-5)).toBe('ts: epoch milliseconds must not be negative');
    expect(tsReason('1768471200000')).toBe('ts: not an RFC 3339 date-time or epoch milliseconds: "1768471200000"');
  });

  it('gives the same instant as the RFC 3339 form', () => {
    const e = (ts: unknown) => {
      const r = validateEvent({ event_id: 'e', ts, conversation_id: 'c', type: 'user_message' });
      return r.ok ? r.event.ts : r.reason;
    };
    expect(e('2026-05-03T12:15:00.1234+02:00')).toBe(T + 123);
    expect(e(T + 123.9)).toBe(T + 123);
    expect(e('2026-05-03 10:15:00.123+00')).toBe(T + 123);
  });

  it('rejects a ts of another JSON type', () => {
    expect(tsReason(true)).toMatch(/^ts: expected an RFC 3339 date-time with offset or epoch milliseconds, got boolean true$/);
    expect(tsReason({ $date: T })).toMatch(/^ts: expected/);
    expect(tsReason(undefined)).toBe('ts: missing (required)');
  });
});

describe('formatUtc', () => {
  it('writes ISO-8601 UTC with milliseconds', () => {
    expect(formatUtc(T + 5)).toBe('2026-05-03T10:15:00.005Z');
  });
});

describe('daysFromCivil', () => {
  it('agrees with Date.UTC on every day from 1969 to 2101 and at the range ends', () => {
    for (let t = Date.UTC(1969, 0, 1); t <= Date.UTC(2101, 0, 1); t += 86_400_000) {
      const d = new Date(t);
      expect(daysFromCivil(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()) * 86_400_000).toBe(t);
    }
    expect(daysFromCivil(9999, 12, 31) * 86_400_000).toBe(Date.UTC(9999, 11, 31));
    expect(daysFromCivil(2000, 2, 29) * 86_400_000).toBe(Date.UTC(2000, 1, 29));
  });
});
