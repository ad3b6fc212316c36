/**
 * Colours of the charts.
 *
 * Segment values (an intent, a channel, a model version, a latency percentile) get the same colour on every
 * page of the site: `segmentColor(value)` depends on the value alone, never on which other values a chart
 * shows or in which order.
 *
 * The palette is Observable 10 (Plot's `observable10` scheme, designed for contrast and colour-vision
 * deficiencies); its grey is kept back for "no value" and long-tail groups (`NEUTRAL_COLOR`), which leaves
 * nine categorical colours. The mapping is:
 *   1. a small registry of values known to appear together (latency percentiles and their KPI ids, the
 *      `(none)` segment), so that these never share a colour;
 *   2. otherwise a 32-bit FNV-1a hash of the value's UTF-16 code units, modulo nine.
 * Nine colours cannot tell apart every pair of values, so two values can hash to the same colour. Charts
 * therefore never rely on colour alone: lines carry direct labels and bars carry their row label.
 * `seriesColors` resolves such a collision inside one chart only (the later key in sorted order takes the
 * next free colour), which is the one case where a value's colour depends on its neighbours.
 *
 * The palette's mid-luminance colours read on both white and near-black backgrounds. Everything that is not
 * data (axes, ticks, labels, notes) is drawn in `currentColor`, so the page's CSS decides it in light and dark
 * mode; the single-series accent is a CSS variable with a fallback (`--kpi-chart-accent`).
 */
import { NONE_SEGMENT } from '../kpi/registry.ts';

/** Observable 10 without its grey, in the scheme's order. */
export const PALETTE: readonly string[] = ['#4269d0', '#efb118', '#ff725c', '#6cc5b0', '#3ca951', '#ff8ab7', '#a463f2', '#97bbf5', '#9c6b4e'];

/** Observable 10's grey: missing values, `(none)` and long-tail groups ("Other"). */
export const NEUTRAL_COLOR = '#9498a0';

/** The colour of a single-series chart (trend, sparkline, plain bars); pages may restyle it through CSS. */
export const ACCENT_COLOR = 'var(--kpi-chart-accent, #4269d0)';

/** Values that appear side by side and must never share a colour: palette index, or the neutral grey. */
const KNOWN: ReadonlyMap<string, number | 'neutral'> = new Map<string, number | 'neutral'>([
  ['p50', 0],
  ['p90', 1],
  ['p95', 2],
  ['p99', 6],
  ['mean', 3],
  ['latency_p50_ms', 0],
  ['latency_p90_ms', 1],
  ['latency_p95_ms', 2],
  ['latency_p99_ms', 6],
  ['latency_mean_ms', 3],
  [NONE_SEGMENT, 'neutral'],
]);

/** 32-bit FNV-1a over UTF-16 code units: stable across runs, platforms and Node versions. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

function paletteIndex(value: string): number | 'neutral' {
  return KNOWN.get(value) ?? fnv1a(value) % PALETTE.length;
}

/** The colour of a segment value on every chart of the site. */
export function segmentColor(value: string): string {
  const index = paletteIndex(value);
  return index === 'neutral' ? NEUTRAL_COLOR : PALETTE[index];
}

/**
 * Colours for the series of one chart: `segmentColor` of each key, except that when two keys of the chart
 * share a palette colour, the later one in sorted order moves to the next colour not yet taken. The result
 * does not depend on the order of `keys`. Keys mapped to the neutral grey keep it.
 */
export function seriesColors(keys: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<number>();
  const sorted = [...new Set(keys)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // Known values first, so that they keep their registered colour.
  const ordered = [...sorted.filter((k) => KNOWN.has(k)), ...sorted.filter((k) => !KNOWN.has(k))];
  for (const key of ordered) {
    const index = paletteIndex(key);
    if (index === 'neutral') {
      out.set(key, NEUTRAL_COLOR);
      continue;
    }
    let chosen = index;
    if (taken.has(chosen) && taken.size < PALETTE.length) {
      while (taken.has(chosen)) chosen = (chosen + 1) % PALETTE.length;
    }
    taken.add(chosen);
    out.set(key, PALETTE[chosen]);
  }
  return out;
}
