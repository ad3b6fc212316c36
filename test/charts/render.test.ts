import * as Plot from '@observablehq/plot';
import { describe, expect, it } from 'vitest';
import { escapeXml, niceTicks, renderChart, serializeSvg, chartDocument, truncate } from '../../src/charts/render.ts';
import { parseSvg } from './helpers.ts';

const frame = { kind: 'test', title: 'A test chart', description: 'What it shows.', width: 300, height: 150 };

describe('renderChart', () => {
  it('renames ids numbered by Plot after the chart, and their references with them', () => {
    const spec = () => ({ marks: [Plot.dot([{ x: 1, y: 2 }], { x: 'x', y: 'y', clip: true })] });
    const a = renderChart({ ...frame, id: 'first' }, spec);
    const b = renderChart({ ...frame, id: 'first' }, spec);
    expect(a).toBe(b);
    expect(a).not.toContain('plot-clip-');
    const svg = parseSvg(a);
    const clip = svg.querySelector('clipPath')!;
    expect(clip.getAttribute('id')).toBe('first-1');
    expect(a).toContain('clip-path="url(#first-1)"');
  });

  it('refuses a spec that makes an HTML figure', () => {
    expect(() => renderChart(frame, () => ({ marks: [Plot.dot(['a'], { x: () => 1, fill: (d: string) => d })], color: { legend: true } }))).toThrow(/bare <svg>/);
  });

  it('escapes in text and attributes alike', () => {
    expect(escapeXml(`<a href="x">&</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;');
    const el = chartDocument().createElementNS('http://www.w3.org/2000/svg', 'svg');
    el.setAttribute('aria-label', '"><script>');
    el.textContent = '</svg><script>';
    expect(serializeSvg(el)).toBe('<svg xmlns="http://www.w3.org/2000/svg" aria-label="&quot;&gt;&lt;script&gt;">&lt;/svg&gt;&lt;script&gt;</svg>');
  });
});

describe('helpers', () => {
  it('computes nice ticks from a domain', () => {
    expect(niceTicks(0, 0.618, 5)).toEqual({ domain: [0, 0.7], ticks: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], step: 0.1 });
    expect(niceTicks(815, 6900, 5).ticks).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000]);
    expect(niceTicks(2100, 2400, 4).ticks).toEqual([2100, 2200, 2300, 2400]);
  });

  it('truncates with an ellipsis', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('a rather long label', 10)).toBe('a rather…');
  });
});
