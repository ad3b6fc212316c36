import { describe, expect, it } from 'vitest';
import { NEUTRAL_COLOR, renderMultiLine, segmentColor } from '../../src/charts/index.ts';
import { ANNOTATIONS, HOSTILE, LATENCY, monthly } from './fixtures.ts';
import { dotTitles, labelledGroupTags, parseSvg, tickLabels, unsafeAttributes } from './helpers.ts';
import { compareSnapshot } from './snapshot.ts';

const options = { title: 'Latency percentiles', unit: 'ms' as const };

describe('renderMultiLine', () => {
  it('draws one line per series in its segment colour, with a legend and direct labels', () => {
    const svg = parseSvg(renderMultiLine(LATENCY, options));
    const strokes = [...svg.querySelectorAll('g[aria-label="line"]')].filter((g) => !g.getAttribute('stroke-dasharray')).map((g) => g.getAttribute('stroke'));
    expect(strokes).toEqual(['p50', 'p90', 'p95', 'p99'].map(segmentColor));
    expect(new Set(strokes).size).toBe(4);
    const legend = [...svg.querySelectorAll('.kpi-chart-legend text')].map((t) => t.textContent);
    expect(legend).toEqual(['p50', 'p90', 'p95', 'p99', 'Partial period (still filling)']);
    const direct = [...svg.querySelectorAll('.kpi-chart-direct-labels text')].map((t) => t.childNodes[0]?.textContent);
    expect(direct.sort()).toEqual(['p50', 'p90', 'p95', 'p99']);
  });

  it('keeps direct labels apart even when lines end close together', () => {
    const close = [
      { key: 'a', points: monthly([1, 1.001]) },
      { key: 'b', points: monthly([1, 1]) },
      { key: 'c', points: monthly([1, 0.999]) },
    ];
    const ys = [...parseSvg(renderMultiLine(close, { title: 't', unit: 'count' })).querySelectorAll('.kpi-chart-direct-labels text')]
      .map((t) => Number(t.getAttribute('y')))
      .sort((p, q) => p - q);
    for (let i = 1; i < ys.length; i++) expect(ys[i] - ys[i - 1]).toBeGreaterThanOrEqual(11);
  });

  it('keeps a segment value in the same colour whatever the other series', () => {
    const stroke = (keys: string[]) =>
      [...parseSvg(renderMultiLine(keys.map((key) => ({ key, points: monthly([0.1, 0.2]) })), { title: 't', unit: 'rate' })).querySelectorAll('g[aria-label="line"]')]
        .filter((g) => !g.getAttribute('stroke-dasharray'))
        .map((g) => g.getAttribute('stroke'));
    expect(stroke(['web', 'app'])[0]).toBe(segmentColor('web'));
    expect(stroke(['voice', 'email', 'web'])[2]).toBe(segmentColor('web'));
    const withOverride = renderMultiLine([{ key: 'Other (3 values)', points: monthly([0.1]), color: NEUTRAL_COLOR }], { title: 't', unit: 'rate' });
    expect(withOverride).toContain(`stroke="${NEUTRAL_COLOR}"`);
  });

  it('gives tooltips naming the series and period', () => {
    const titles = dotTitles(parseSvg(renderMultiLine(LATENCY, options)));
    expect(titles).toContain('p95, 2026-02: 3,400 ms');
    expect(titles).toContain('p99, 2026-05: 6,500 ms (partial period)');
  });

  it('summarises every series in its text alternative', () => {
    const svg = parseSvg(renderMultiLine(LATENCY, { ...options, goodDirection: 'down' }));
    const desc = svg.querySelector('desc')!.textContent!;
    expect(desc).toContain('Latency percentiles. 12 periods, 2025-06 to 2026-05.');
    expect(desc).toContain('p50: first 820 ms (2025-06), last 980 ms (2026-05, partial period: still filling), lowest 815 ms (2025-08), highest 1,020 ms (2026-02).');
    expect(desc).toContain('Lower is better.');
    expect(svg.getAttribute('aria-label')).toBe('Latency percentiles');
  });

  it('aligns series with different periods on one time axis, with gaps for nulls', () => {
    const svg = parseSvg(
      renderMultiLine(
        [
          { key: 'web', points: monthly([0.5, 0.52, null, 0.55], { partialLast: false }) },
          { key: 'app', points: monthly([0.4, 0.41, 0.42, 0.43], { partialLast: false }).slice(1) },
        ],
        { title: 'Resolution rate by channel', unit: 'rate' },
      ),
    );
    expect(tickLabels(svg, 'x')[0]).toBe('2025-06');
    expect(tickLabels(svg, 'y')[0]).toBe('0%');
    const web = [...svg.querySelectorAll('g[aria-label="line"]')].find((g) => g.getAttribute('stroke') === segmentColor('web'))!;
    expect(web.querySelector('path')!.getAttribute('d')!.match(/M/g)).toHaveLength(2);
  });

  it('draws annotations within range only', () => {
    const svg = parseSvg(renderMultiLine(LATENCY, { ...options, annotations: ANNOTATIONS }));
    expect([...svg.querySelectorAll('.kpi-chart-annotation text')].map((t) => t.textContent)).toEqual(['Model v2 rolled out', 'Billing outage', 'WhatsApp launch']);
  });

  it('refuses duplicate keys', () => {
    expect(() => renderMultiLine([{ key: 'a', points: [] }, { key: 'a', points: [] }], options)).toThrow(/unique/);
  });

  it('gives the no-data chart when no series has a value', () => {
    const svg = parseSvg(renderMultiLine([{ key: 'p50', points: monthly([null]) }], options));
    expect(svg.getAttribute('data-no-data')).toBe('true');
    expect(svg.querySelector('.kpi-chart-legend')).toBeNull();
  });

  it('is accessible and escapes series keys', () => {
    const out = renderMultiLine([{ key: HOSTILE, points: monthly([1, 2]) }, ...LATENCY.slice(0, 1)], { ...options, title: HOSTILE });
    for (const tag of labelledGroupTags(out)) expect(tag).toContain('role="group"');
    expect(out).not.toContain('<script');
    expect(unsafeAttributes(out)).toEqual([]);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('matches the snapshot', () => {
    expect(compareSnapshot('latencyPercentiles', renderMultiLine(LATENCY, { ...options, annotations: ANNOTATIONS.slice(0, 1), id: 'latency' }))).toBeNull();
  });
});
