/** Parsing of the `ts` forms of events.md "Values"; every result is whole epoch milliseconds. */

/** 10000-01-01T00:00:00Z: the first instant past the accepted range. */
export const TS_LIMIT_MS = Date.UTC(10000, 0, 1);

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

export type TimestampResult = { ok: true; ms: number } | { ok: false; reason: string };

const fail = (reason: string): TimestampResult => ({ ok: false, reason });

function inRange(ms: number): TimestampResult {
  if (ms < 0 || ms >= TS_LIMIT_MS) return fail('not an instant between 1970 and 9999');
  return { ok: true, ms };
}

/** Epoch milliseconds: non-negative and finite; digits below the millisecond are dropped, not rounded. */
export function parseEpochMs(value: number): TimestampResult {
  if (!Number.isFinite(value)) return fail('epoch milliseconds must be a finite number');
  if (value < 0) return fail('epoch milliseconds must not be negative');
  return inRange(Math.trunc(value));
}

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1];
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil): plain arithmetic,
 * since this runs for every row of every export (a Date object per row was a measurable share of ingest).
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** An RFC 3339 date-time with an offset (`Z`, `±HH:MM`, `±HHMM`, `±HH`); a space or `t` may separate date and time. */
export function parseDateTime(text: string): TimestampResult {
  const m = RFC3339.exec(text);
  if (!m) return fail(`not an RFC 3339 date-time or epoch milliseconds: ${JSON.stringify(text)}`);
  const [, ys, mos, ds, hs, mis, ss, frac, zulu, sign, ohs, oms] = m;
  if (!zulu && !sign) return fail('no timezone offset');
  const year = Number(ys), month = Number(mos), day = Number(ds);
  const hour = Number(hs), minute = Number(mis), second = Number(ss);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return fail(`not a real date: ${JSON.stringify(text)}`);
  if (hour > 23 || minute > 59 || second > 59) return fail(`not a real time of day: ${JSON.stringify(text)}`);
  let offsetMinutes = 0;
  if (sign) {
    const oh = Number(ohs), om = oms === undefined ? 0 : Number(oms);
    if (oh > 23 || om > 59) return fail(`not a valid offset: ${JSON.stringify(text)}`);
    offsetMinutes = (sign === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const millis = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  const utc = ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis;
  return inRange(utc - offsetMinutes * 60_000);
}

/** Formats epoch milliseconds as an ISO-8601 UTC string (`2026-05-03T10:15:00.000Z`). */
export function formatUtc(ms: number): string {
  return new Date(ms).toISOString();
}
