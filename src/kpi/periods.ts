/**
 * Periods of kpis.md: ISO weeks, calendar months and quarters, bounded by local midnight in the report time
 * zone. Everything takes the zone as an argument; nothing reads the machine's clock or zone.
 */

export const CADENCES = ['week', 'month', 'quarter'] as const;
export type Cadence = (typeof CADENCES)[number];

export interface Period {
  label: string;
  cadence: Cadence;
  /** Epoch ms of the period's start (inclusive) and end (exclusive). */
  startMs: number;
  endMs: number;
  /** ISO-8601 with the zone's offset at that instant (`Z` for UTC). */
  start: string;
  end: string;
}

interface LocalDate {
  year: number;
  month: number; // 1–12
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, f);
  }
  return f;
}

function localParts(ms: number, timezone: string) {
  const parts: Record<string, number> = {};
  for (const p of formatter(timezone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

/** The zone's offset from UTC at an instant, in minutes. */
export function offsetMinutes(ms: number, timezone: string): number {
  const p = localParts(ms, timezone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** The instant of local midnight on a date in the zone. */
export function localMidnight(date: LocalDate, timezone: string): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day);
  let utc = wall - offsetMinutes(wall, timezone) * 60_000;
  utc = wall - offsetMinutes(utc, timezone) * 60_000;
  return utc;
}

/** An instant as ISO-8601 with the zone's offset (`2026-03-30T00:00:00+02:00`; `Z` when the zone is UTC). */
export function formatInZone(ms: number, timezone: string): string {
  const offset = offsetMinutes(ms, timezone);
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  if (timezone === 'UTC' || timezone === 'Etc/UTC') return `${local}Z`;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

function addDays(d: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

function addMonths(d: LocalDate, months: number): LocalDate {
  const index = d.year * 12 + (d.month - 1) + months;
  return { year: Math.floor(index / 12), month: (index % 12) + 1, day: 1 };
}

/** ISO 8601 week-year and week of a date. */
function isoWeek(d: LocalDate): { year: number; week: number } {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day));
  const weekday = (t.getUTCDay() + 6) % 7; // Monday 0
  t.setUTCDate(t.getUTCDate() - weekday + 3); // the Thursday of this week decides the year
  const year = t.getUTCFullYear();
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const firstThursday = Date.UTC(year, 0, 4 - ((jan4.getUTCDay() + 6) % 7) + 3);
  const week = 1 + Math.round((t.getTime() - firstThursday) / (7 * 86_400_000));
  return { year, week };
}

/** The Monday that starts ISO week `week` of `year`. */
function isoWeekStart(year: number, week: number): LocalDate {
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday = addDays({ year, month: 1, day: 4 }, -((jan4.getUTCDay() + 6) % 7));
  return addDays(monday, (week - 1) * 7);
}

function weeksInYear(year: number): number {
  return isoWeek({ year, month: 12, day: 28 }).week;
}

/** The first local date of the period with this label, or undefined when the label is not a period. */
function startDateOf(label: string, cadence: Cadence): LocalDate | undefined {
  if (cadence === 'month') {
    const m = /^(\d{4})-(\d{2})$/.exec(label);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return undefined;
    return { year: Number(m[1]), month: Number(m[2]), day: 1 };
  }
  if (cadence === 'quarter') {
    const m = /^(\d{4})-Q([1-4])$/.exec(label);
    if (!m) return undefined;
    return { year: Number(m[1]), month: (Number(m[2]) - 1) * 3 + 1, day: 1 };
  }
  const m = /^(\d{4})-W(\d{2})$/.exec(label);
  if (!m) return undefined;
  const year = Number(m[1]), week = Number(m[2]);
  if (week < 1 || week > weeksInYear(year)) return undefined;
  return isoWeekStart(year, week);
}

function labelOfDate(d: LocalDate, cadence: Cadence): string {
  if (cadence === 'month') return `${d.year}-${pad(d.month)}`;
  if (cadence === 'quarter') return `${d.year}-Q${Math.floor((d.month - 1) / 3) + 1}`;
  const w = isoWeek(d);
  return `${w.year}-W${pad(w.week)}`;
}

function nextStartDate(d: LocalDate, cadence: Cadence): LocalDate {
  return cadence === 'week' ? addDays(d, 7) : addMonths(d, cadence === 'month' ? 1 : 3);
}

/** Whether `label` names a period of the cadence (`2026-05`, `2026-Q2`, `2026-W19`). */
export function isPeriodLabel(label: string, cadence: Cadence): boolean {
  return startDateOf(label, cadence) !== undefined;
}

/** The period with this label, or undefined when it is not a valid label. */
export function periodByLabel(label: string, cadence: Cadence, timezone: string): Period | undefined {
  const first = startDateOf(label, cadence);
  if (!first) return undefined;
  const startMs = localMidnight(first, timezone);
  const endMs = localMidnight(nextStartDate(first, cadence), timezone);
  return { label, cadence, startMs, endMs, start: formatInZone(startMs, timezone), end: formatInZone(endMs, timezone) };
}

/** The label of the period of the cadence that contains an instant, in the zone. */
export function periodOf(ms: number, cadence: Cadence, timezone: string): string {
  const p = localParts(ms, timezone);
  return labelOfDate({ year: p.year, month: p.month, day: p.day }, cadence);
}

/** Every period of the cadence, without gaps, from the one containing `firstMs` to the one containing `lastMs`. */
export function periodRange(firstMs: number, lastMs: number, cadence: Cadence, timezone: string): Period[] {
  const last = periodOf(lastMs, cadence, timezone);
  const out: Period[] = [];
  let date = startDateOf(periodOf(firstMs, cadence, timezone), cadence)!;
  for (;;) {
    const label = labelOfDate(date, cadence);
    out.push(periodByLabel(label, cadence, timezone)!);
    if (label === last) return out;
    date = nextStartDate(date, cadence);
  }
}

/**
 * A DuckDB table expression `(label, start_ts)` of the periods, for an ASOF join that labels timestamps
 * (`… ASOF JOIN <bounds> b ON t.ts >= b.start_ts`). Much faster than converting every row with ICU.
 */
export function periodBoundsSql(periods: Period[]): string {
  const rows = periods.map((p) => `('${p.label}', epoch_ms(${p.startMs})::TIMESTAMPTZ)`).join(', ');
  return `(SELECT * FROM (VALUES ${rows}) AS bounds(label, start_ts))`;
}
