/** Data shared by the chart tests, the snapshots and the preview page. */
import type { Annotation, BarRow, LineSeries, TrendPoint } from '../../src/charts/index.ts';

const MONTHS = ['2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05'];

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** Twelve months in Europe/Berlin-style offsets, from values (null for a gap); the last one partial unless told. */
export function monthly(values: (number | null)[], options: { partialLast?: boolean } = {}): TrendPoint[] {
  const partialLast = options.partialLast ?? true;
  return values.map((value, i) => {
    const m = MONTHS[i];
    return {
      period: m,
      start: `${m}-01T00:00:00+02:00`,
      end: `${nextMonth(m)}-01T00:00:00+02:00`,
      value,
      partial: partialLast && i === values.length - 1,
    };
  });
}

export const RESOLUTION = monthly([0.552, 0.561, 0.574, 0.569, null, 0.588, 0.593, 0.604, 0.597, 0.611, 0.618, 0.612]);

export const ANNOTATIONS: Annotation[] = [
  { date: '2026-02-10', label: 'Model v2 rolled out', kind: 'release' },
  { date: '2026-02-18', label: 'Billing outage', kind: 'incident' },
  { date: '2026-05-20', label: 'WhatsApp launch', kind: 'launch' },
  { date: '2024-01-15', label: 'Before the range', kind: 'release' },
  { date: '2026-07-01', label: 'After the range', kind: 'release' },
];

export const LATENCY: LineSeries[] = [
  { key: 'p50', points: monthly([820, 840, 815, 830, 860, 850, 870, 900, 1020, 1010, 990, 980]) },
  { key: 'p90', points: monthly([1900, 1950, 1880, 1920, 2010, 1990, 2050, 2100, 2600, 2550, 2480, 2450]) },
  { key: 'p95', points: monthly([2500, 2560, 2450, 2520, 2650, 2600, 2700, 2760, 3400, 3350, 3300, 3250]) },
  { key: 'p99', points: monthly([4800, 5000, 4700, 4900, 5200, 5100, 5300, 5400, 6900, 6800, 6600, 6500]) },
];

export const FALLBACK_BY_INTENT: BarRow[] = [
  { label: 'order_status', value: 0.041 },
  { label: 'billing', value: 0.127 },
  { label: 'returns', value: 0.058 },
  { label: 'product_info', value: 0.033 },
  { label: 'book_demo', value: null },
  { label: 'Other (14 values)', value: 0.094 },
];

export const HOSTILE = '<script>alert(1)</script>';
export const HOSTILE_ATTR = '"><img src=x onerror=alert(1)>';
