import { describe, expect, it } from 'vitest';
import { NEUTRAL_COLOR, renderBars, segmentColor } from '../../src/charts/index.ts';
import { FALLBACK_BY_INTENT, HOSTILE, HOSTILE_ATTR } from './fixtures.ts';
import { labelledGroupTags, parseSvg, tickLabels, unsafeAttributes } from './helpers.ts';
import { compareSnapshot } from './snapshot.ts';

const options = { title: 'Fallback rate by intent', unit: 'rate' as const };

describe('renderBars', () => {
  it('keeps the rows in the order given', () => {
    const svg = parseSvg(renderBars(FALLBACK_BY_INTENT, options));
    expect(tickLabels(svg, 'y')).toEqual(FALLBACK_BY_INTENT.map((r) => r.label));
  });

  it('puts the formatted value at the end of each bar, and — without a bar for nulls', () => {
    const svg = parseSvg(renderBars(FALLBACK_BY_INTENT, options));
    const values = [...svg.querySelectorAll('g[aria-label="text"] text')].map((t) => t.childNodes[0]?.textContent);
    expect(values).toEqual(['4.1%', '12.7%', '5.8%', '3.3%', '—', '9.4%']);
    const bars = svg.querySelectorAll('g[aria-label="bar"] rect');
    expect(bars).toHaveLength(5);
    expect([...bars].map((b) => b.querySelector('title')?.textContent)).not.toContain('book_demo: —');
  });

  it('starts the value axis at 0 and labels it with the unit', () => {
    const svg = parseSvg(renderBars(FALLBACK_BY_INTENT, options));
    expect(tickLabels(svg, 'x')[0]).toBe('0%');
    expect(svg.querySelector('g[aria-label="x-axis label"]')?.textContent).toBe('Percent (%) →');
  });

  it('uses the colours given, and the accent otherwise', () => {
    const rows = [
      { label: 'billing', value: 0.1, color: segmentColor('billing') },
      { label: 'Other', value: 0.2, color: NEUTRAL_COLOR },
      { label: 'plain', value: 0.3 },
    ];
    const fills = [...parseSvg(renderBars(rows, options)).querySelectorAll('g[aria-label="bar"] rect')].map((r) => r.getAttribute('fill'));
    expect(fills).toEqual([segmentColor('billing'), NEUTRAL_COLOR, 'var(--kpi-chart-accent, #4269d0)']);
  });

  it('grows with the number of rows', () => {
    const height = (n: number) => Number(parseSvg(renderBars(FALLBACK_BY_INTENT.slice(0, n), options)).getAttribute('height'));
    expect(height(6) - height(3)).toBe(3 * 22);
    expect(parseSvg(renderBars(FALLBACK_BY_INTENT, options)).getAttribute('viewBox')).toBe(`0 0 640 ${height(6)}`);
  });

  it('says every row in its text alternative', () => {
    const svg = parseSvg(renderBars(FALLBACK_BY_INTENT, options));
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toBe('Fallback rate by intent');
    expect(svg.querySelector('desc')?.textContent).toBe(
      'Fallback rate by intent. 6 rows: order_status 4.1%; billing 12.7%; returns 5.8%; product_info 3.3%; book_demo —; Other (14 values) 9.4%.',
    );
    for (const tag of labelledGroupTags(renderBars(FALLBACK_BY_INTENT, options))) expect(tag).toContain('role="group"');
  });

  it('gives the no-data chart without rows', () => {
    const svg = parseSvg(renderBars([], options));
    expect(svg.getAttribute('data-no-data')).toBe('true');
    expect(svg.textContent).toContain('No data.');
  });

  it('shortens long labels on the axis but keeps them whole in tooltips', () => {
    const long = 'an intent with a very long name that would not fit the margin';
    const svg = parseSvg(renderBars([{ label: long, value: 0.2 }], options));
    expect(tickLabels(svg, 'y')[0]).toMatch(/…$/);
    expect(svg.querySelector('rect title')?.textContent).toBe(`${long}: 20.0%`);
  });

  it('escapes labels from the data', () => {
    const out = renderBars(
      [
        { label: HOSTILE, value: 0.1 },
        { label: HOSTILE_ATTR, value: null },
      ],
      { title: HOSTILE, unit: 'usd', xLabel: HOSTILE_ATTR },
    );
    expect(out).not.toContain('<script');
    expect(out).not.toContain('<img');
    expect(out).toContain('&lt;script&gt;');
    expect(unsafeAttributes(out)).toEqual([]);
  });

  it('matches the snapshot', () => {
    const rows = FALLBACK_BY_INTENT.map((r) => ({ ...r, color: r.label.startsWith('Other') ? NEUTRAL_COLOR : segmentColor(r.label) }));
    expect(compareSnapshot('fallbackByIntent', renderBars(rows, { ...options, id: 'fallback-by-intent' }))).toBeNull();
  });
});
