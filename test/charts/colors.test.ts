import { describe, expect, it } from 'vitest';
import { fnv1a, NEUTRAL_COLOR, PALETTE, segmentColor, seriesColors } from '../../src/charts/colors.ts';

describe('segmentColor', () => {
  it('depends on the value alone, and comes from the palette', () => {
    for (const v of ['web', 'app', 'whatsapp', 'billing', 'returns', 'gpt-x-2026-04', '']) {
      expect(segmentColor(v)).toBe(segmentColor(v));
      expect(PALETTE).toContain(segmentColor(v));
    }
  });

  it('is pinned: the hash may not change between releases, or every page changes colour', () => {
    expect(fnv1a('web')).toBe(fnv1a('web'));
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c); // the published FNV-1a 32-bit test vector
    expect(segmentColor('web')).toBe(PALETTE[fnv1a('web') % PALETTE.length]);
  });

  it('gives known values their registered colours and (none) the neutral grey', () => {
    const latency = ['p50', 'p90', 'p95', 'p99'].map(segmentColor);
    expect(new Set(latency).size).toBe(4);
    expect(segmentColor('latency_p95_ms')).toBe(segmentColor('p95'));
    expect(segmentColor('(none)')).toBe(NEUTRAL_COLOR);
    expect(PALETTE).not.toContain(NEUTRAL_COLOR);
  });
});

describe('seriesColors', () => {
  it('matches segmentColor and ignores the order of the keys', () => {
    const a = seriesColors(['web', 'app', 'voice']);
    const b = seriesColors(['voice', 'web', 'app']);
    expect([...a.entries()].sort()).toEqual([...b.entries()].sort());
    for (const key of ['web', 'app', 'voice']) expect(a.get(key)).toBe(segmentColor(key));
  });

  it('separates two values that hash to the same colour within one chart', () => {
    // Find a deterministic collision among short names.
    const names = Array.from({ length: 40 }, (_, i) => `segment-${i}`);
    const first = names[0];
    const twin = names.find((n) => n !== first && segmentColor(n) === segmentColor(first))!;
    expect(twin).toBeDefined();
    const colors = seriesColors([twin, first]);
    expect(colors.get(first)).toBe(segmentColor(first));
    expect(colors.get(twin)).not.toBe(colors.get(first));
    expect(seriesColors([first, twin])).toEqual(colors);
  });
});
