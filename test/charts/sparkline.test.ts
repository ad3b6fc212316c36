import { describe, expect, it } from 'vitest';
import { renderSparkline } from '../../src/charts/index.ts';
import { HOSTILE, monthly, RESOLUTION } from './fixtures.ts';
import { parseSvg, unsafeAttributes } from './helpers.ts';
import { compareSnapshot } from './snapshot.ts';

describe('renderSparkline', () => {
  it('is tiny, without axes or visible title', () => {
    const svg = parseSvg(renderSparkline(RESOLUTION, { unit: 'rate', label: 'Resolution rate' }));
    expect(svg.getAttribute('width')).toBe('120');
    expect(svg.getAttribute('height')).toBe('28');
    expect(svg.getAttribute('viewBox')).toBe('0 0 120 28');
    expect(svg.querySelector('g[aria-label$="axis tick label"]')).toBeNull();
    expect(svg.querySelector('.kpi-chart-title')).toBeNull();
  });

  it('names first → last value, and a partial last period', () => {
    const svg = parseSvg(renderSparkline(RESOLUTION, { unit: 'rate', label: 'Resolution rate' }));
    expect(svg.getAttribute('aria-label')).toBe('Resolution rate: 55.2% → 61.2% (partial period)');
    expect(svg.querySelector('title')?.textContent).toBe('Resolution rate: 55.2% → 61.2% (partial period)');
    expect(svg.querySelector('desc')?.textContent).toBe(
      'Resolution rate over 12 periods (2025-06 to 2026-05): first 55.2% (2025-06), last 61.2% (2026-05, partial period: still filling), lowest 55.2% (2025-06), highest 61.8% (2026-04); no value for 2025-10.',
    );
  });

  it('marks the last value with one dot', () => {
    const svg = parseSvg(renderSparkline(monthly([1200, null, 1500], { partialLast: false }), { unit: 'count', label: 'Conversations' }));
    const dots = svg.querySelectorAll('circle');
    expect(dots).toHaveLength(1);
    expect(dots[0].querySelector('title')?.textContent).toBe('2025-08: 1,500');
    expect(svg.getAttribute('aria-label')).toBe('Conversations: 1,200 → 1,500');
    expect(svg.querySelector('g[aria-label="line"] path')!.getAttribute('d')!.match(/M/g)).toHaveLength(2);
  });

  it('says when there is no data', () => {
    const svg = parseSvg(renderSparkline(monthly([null, null]), { unit: 'rate', label: 'Satisfaction' }));
    expect(svg.getAttribute('aria-label')).toBe('Satisfaction: no data');
    expect(svg.getAttribute('data-no-data')).toBe('true');
  });

  it('escapes the label', () => {
    const out = renderSparkline(RESOLUTION, { unit: 'rate', label: HOSTILE });
    expect(out).not.toContain('<script');
    expect(unsafeAttributes(out)).toEqual([]);
  });

  it('matches the snapshot', () => {
    expect(compareSnapshot('sparklineResolution', renderSparkline(RESOLUTION, { unit: 'rate', label: 'Resolution rate', id: 'spark-resolution' }))).toBeNull();
  });
});
