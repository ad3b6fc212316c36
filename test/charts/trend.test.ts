import { describe, expect, it } from 'vitest';
import { renderTrend } from '../../src/charts/index.ts';
import { ANNOTATIONS, HOSTILE, HOSTILE_ATTR, monthly, RESOLUTION } from './fixtures.ts';
import { dotTitles, labelledGroupTags, parseSvg, tickLabels, unsafeAttributes } from './helpers.ts';
import { compareSnapshot } from './snapshot.ts';

const options = { title: 'Resolution rate', unit: 'rate' as const };

describe('renderTrend', () => {
  it('starts the y axis at 0 for rates, counts and money', () => {
    for (const unit of ['rate', 'count', 'usd', 'tokens'] as const) {
      const values = unit === 'rate' ? [0.55, 0.6, 0.62] : [1200, 1300, 1250];
      const labels = tickLabels(parseSvg(renderTrend(monthly(values, { partialLast: false }), { title: 't', unit })), 'y');
      expect(labels[0], unit).toMatch(/^\$?0(\.0+)?%?$/);
    }
  });

  it('does not force 0 into durations, unless asked', () => {
    const points = monthly([2100, 2400, 2300], { partialLast: false });
    expect(tickLabels(parseSvg(renderTrend(points, { title: 'Latency p95', unit: 'ms' })), 'y')[0]).not.toBe('0');
    expect(tickLabels(parseSvg(renderTrend(points, { title: 'Latency p95', unit: 'ms', zero: true })), 'y')[0]).toBe('0');
  });

  it('labels the y axis with the unit, and ticks in the unit', () => {
    const svg = parseSvg(renderTrend(RESOLUTION, options));
    expect(svg.querySelector('g[aria-label="y-axis label"]')?.textContent).toBe('↑ Percent (%)');
    expect(tickLabels(svg, 'y')).toContain('60%');
    const latency = parseSvg(renderTrend(monthly([12_000, 15_000, 21_000]), { title: 'Latency p99', unit: 'ms' }));
    expect(latency.querySelector('g[aria-label="y-axis label"]')?.textContent).toBe('↑ Seconds (s)');
    const custom = parseSvg(renderTrend(monthly([1, 2]), { title: 'Conversations', unit: 'count', yLabel: 'Conversations' }));
    expect(custom.querySelector('g[aria-label="y-axis label"]')?.textContent).toBe('↑ Conversations');
  });

  it('places periods at their start date, labelled with the period, whatever the offset', () => {
    const svg = parseSvg(renderTrend(RESOLUTION, options));
    const labels = tickLabels(svg, 'x');
    expect(labels.at(-1)).toBe('2026-05');
    expect(labels.every((l) => /^\d{4}-\d{2}$/.test(l))).toBe(true);
  });

  it('shows nulls as gaps, not zeros', () => {
    const svg = parseSvg(renderTrend(RESOLUTION, options));
    const line = svg.querySelector('g[aria-label="line"] path')!;
    // One gap (2025-10) and the partial period cut out of the solid line: two runs.
    expect(line.getAttribute('d')!.match(/M/g)).toHaveLength(2);
    expect(dotTitles(svg).some((t) => t.startsWith('2025-10'))).toBe(false);
    expect(svg.querySelector('desc')!.textContent).toContain('no value for 2025-10');
  });

  it('draws the partial last period distinctly and says so', () => {
    const out = renderTrend(RESOLUTION, options);
    const svg = parseSvg(out);
    const dashed = [...svg.querySelectorAll('g[aria-label="line"]')].filter((g) => g.getAttribute('stroke-dasharray'));
    expect(dashed).toHaveLength(1);
    const hollow = [...svg.querySelectorAll('g[aria-label="dot"]')].find((g) => g.getAttribute('fill') === 'var(--plot-background)');
    expect(hollow?.querySelectorAll('circle')).toHaveLength(1);
    expect(hollow?.querySelector('title')?.textContent).toBe('2026-05: 61.2% (partial period)');
    expect(svg.querySelector('g[aria-label="text"]')?.textContent).toBe('partial');
    expect(svg.querySelector('desc')!.textContent).toContain('last 61.2% (2026-05, partial period: still filling)');
  });

  it('has no partial marking when the last period is complete', () => {
    const svg = parseSvg(renderTrend(monthly([0.5, 0.6], { partialLast: false }), options));
    expect(svg.querySelectorAll('g[aria-label="line"]')).toHaveLength(1);
    expect(svg.querySelector('desc')!.textContent).not.toContain('partial');
  });

  it('gives every point a tooltip', () => {
    const titles = dotTitles(parseSvg(renderTrend(RESOLUTION, options)));
    expect(titles).toHaveLength(11);
    expect(titles[0]).toBe('2025-06: 55.2%');
    expect(titles).toContain('2026-04: 61.8%');
  });

  it('draws only the annotations within the periods shown', () => {
    const svg = parseSvg(renderTrend(RESOLUTION, { ...options, annotations: ANNOTATIONS }));
    const labels = [...svg.querySelectorAll('.kpi-chart-annotation text')].map((t) => t.textContent);
    expect(labels).toEqual(['Model v2 rolled out', 'Billing outage', 'WhatsApp launch']);
    const kinds = [...svg.querySelectorAll('.kpi-chart-annotation')].map((g) => g.getAttribute('data-kind'));
    expect(kinds).toEqual(['release', 'incident', 'launch']);
    expect(svg.outerHTML).not.toContain('Before the range');
    expect(svg.outerHTML).not.toContain('After the range');
    expect(svg.querySelector('desc')!.textContent).toContain('Annotations: 2026-02-10 release: Model v2 rolled out; 2026-02-18 incident: Billing outage');
    // Close annotations go to separate rows.
    const ys = [...svg.querySelectorAll('.kpi-chart-annotation text')].map((t) => Number(t.getAttribute('y')));
    expect(ys[0]).not.toBe(ys[1]);
  });

  it('numbers the annotations and lists them under the chart when their labels cannot all fit', () => {
    const many = ['02-03', '02-10', '02-14', '02-20', '03-01', '03-05', '03-12', '03-20'].map((day, i) => ({ date: `2026-${day}`, label: `Change number ${i + 1} shipped to production`, kind: 'release' }));
    const out = renderTrend(RESOLUTION, { ...options, annotations: many });
    const svg = parseSvg(out);
    expect([...svg.querySelectorAll('.kpi-chart-annotation text')].map((t) => t.textContent)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    const legend = [...svg.querySelectorAll('.kpi-chart-annotation-legend text')].map((t) => t.textContent).join(' · ');
    for (const [i, a] of many.entries()) expect(legend).toContain(`${i + 1} ${a.date} ${a.label}`);
    // The legend makes the chart taller instead of squeezing the plot.
    expect(Number(svg.getAttribute('height'))).toBeGreaterThan(Number(parseSvg(renderTrend(RESOLUTION, options)).getAttribute('height')));
    // A few annotations keep their labels.
    expect([...parseSvg(renderTrend(RESOLUTION, { ...options, annotations: many.slice(0, 2) })).querySelectorAll('.kpi-chart-annotation text')].map((t) => t.textContent)).toEqual([
      'Change number 1 shipped to…',
      'Change number 2 shipped to…',
    ]);
  });

  it('gives an explicit no-data chart for an empty or all-null series', () => {
    for (const points of [[], monthly([null, null, null])]) {
      const out = renderTrend(points, options);
      const svg = parseSvg(out);
      expect(svg.getAttribute('data-no-data')).toBe('true');
      expect(svg.textContent).toContain('No data for these periods.');
      expect(svg.getAttribute('aria-label')).toBe('Resolution rate: no data');
      expect(svg.querySelector('desc')?.textContent).toMatch(/no data/);
      expect(svg.querySelectorAll('circle')).toHaveLength(0);
      // Only the root and groups carry aria-label (a labelled <rect> is an axe violation).
      for (const node of svg.querySelectorAll('[aria-label]')) expect(node.localName).toBe('g');
    }
  });

  it('is accessible: role img, aria-label, title and desc first, role group on labelled groups', () => {
    const out = renderTrend(RESOLUTION, { ...options, annotations: ANNOTATIONS, goodDirection: 'up' });
    const svg = parseSvg(out);
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toBe('Resolution rate');
    const [first, second] = [...svg.children];
    expect(first.localName).toBe('title');
    expect(first.textContent).toBe('Resolution rate');
    expect(second.localName).toBe('desc');
    expect(second.textContent).toBe(
      'Resolution rate. 12 periods, 2025-06 to 2026-05. First 55.2% (2025-06), last 61.2% (2026-05, partial period: still filling), ' +
        'lowest 55.2% (2025-06), highest 61.8% (2026-04); no value for 2025-10. Higher is better. ' +
        'Annotations: 2026-02-10 release: Model v2 rolled out; 2026-02-18 incident: Billing outage; 2026-05-20 launch: WhatsApp launch.',
    );
    const groups = labelledGroupTags(out);
    expect(groups.length).toBeGreaterThan(5);
    for (const tag of groups) expect(tag).toContain('role="group"');
  });

  it('has a fixed size with a viewBox, a visible title, and stable classes and ids', () => {
    const out = renderTrend(RESOLUTION, { ...options, width: 500, height: 220, id: 'resolution-trend' });
    const svg = parseSvg(out);
    expect(svg.getAttribute('width')).toBe('500');
    expect(svg.getAttribute('height')).toBe('220');
    expect(svg.getAttribute('viewBox')).toBe('0 0 500 220');
    expect(svg.getAttribute('id')).toBe('resolution-trend');
    expect(svg.getAttribute('class')).toBe('plot-d6a7b5 kpi-chart kpi-chart-trend');
    expect(svg.querySelector('.kpi-chart-title text')?.textContent).toBe('Resolution rate');
    expect(parseSvg(renderTrend(RESOLUTION, { ...options, showTitle: false })).querySelector('.kpi-chart-title')).toBeNull();
    // Same input, same output, whatever was rendered before.
    renderTrend(monthly([1, 2, 3]), { title: 'other', unit: 'count' });
    expect(renderTrend(RESOLUTION, { ...options, width: 500, height: 220, id: 'resolution-trend' })).toBe(out);
    expect(out).not.toMatch(/plot-clip-|plot-marker-/);
  });

  it('escapes text from the data', () => {
    const out = renderTrend(
      [
        { period: HOSTILE, start: '2026-04-01', value: 0.5 },
        { period: HOSTILE_ATTR, start: '2026-05-01', value: 0.6 },
      ],
      { title: HOSTILE_ATTR, unit: 'rate', yLabel: HOSTILE, annotations: [{ date: '2026-04-10', label: HOSTILE, kind: HOSTILE_ATTR }] },
    );
    expect(out).not.toContain('<script');
    expect(out).not.toContain('<img');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('aria-label="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
    expect(unsafeAttributes(out)).toEqual([]);
    expect(parseSvg(out).getAttribute('aria-label')).toBe(HOSTILE_ATTR);
  });

  it('matches the snapshot', () => {
    const out = renderTrend(RESOLUTION, { title: 'Resolution rate, last 12 months', unit: 'rate', annotations: ANNOTATIONS, goodDirection: 'up', id: 'resolution-rate' });
    expect(compareSnapshot('resolutionRateMonthly', out)).toBeNull();
  });

  it('matches the no-data snapshot', () => {
    expect(compareSnapshot('trendNoData', renderTrend([], { title: 'Satisfaction', unit: 'rate', id: 'satisfaction' }))).toBeNull();
  });
});
