import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventsFile, requireManifest } from '../../src/data/manifest.ts';
import { snapshot } from '../../src/data/snapshot.ts';
import { openDb } from '../../src/db/connection.ts';
import { computeResults } from '../../src/kpi/engine.ts';
import type { Results } from '../../src/kpi/results.ts';
import { writeSample } from '../../src/sample/generate.ts';
import { conversationsOf, figuresOf, labelOf, REFERENCE_DIMENSIONS, segmentOf, type Ev } from './reference.ts';

// The engine's exports against a second, plain computation over the same kept events (a quarter of the sample).
const HUMAN_COST = 4;
let results: Results;
let events: Ev[];

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-reference-'));
  await writeSample(path.join(dir, 'exports'), { start: '2026-05', months: 3, conversations: 2500, seed: 7 });
  const out = path.join(dir, 'snapshots');
  await snapshot([path.join(dir, 'exports')], { out, timezone: 'UTC' });
  results = await computeResults(out, { humanContactCostUsd: HUMAN_COST });
  const db = await openDb();
  const files = Object.keys(requireManifest(out).months).map((m) => `'${eventsFile(out, m)}'`);
  events = await db.all<Ev>(`SELECT * FROM read_parquet([${files.join(', ')}])`);
  db.close();
}, 120_000);

const close = (a: number | null | undefined, b: number | null | undefined) =>
  a === null || b === null || a === undefined || b === undefined ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));

function mismatches(where: string, engine: Record<string, number | null>, reference: Record<string, number | null>): string[] {
  return Object.keys(reference).filter((k) => !close(engine[k], reference[k])).map((k) => `${where}.${k}: engine ${engine[k]} reference ${reference[k]}`);
}

describe('engine against an independent reference on the sample', () => {
  it('agrees on every KPI of every period of every cadence', () => {
    const convs = conversationsOf(events);
    const bad: string[] = [];
    for (const cadence of ['week', 'month', 'quarter'] as const) {
      for (const doc of results.cadences[cadence]) {
        const inPeriod = convs.filter((c) => labelOf(c.start, cadence) === doc.period);
        bad.push(...mismatches(`${cadence} ${doc.period}`, doc.kpis, inPeriod.length ? figuresOf(inPeriod, HUMAN_COST) : {}));
        const health = events.filter((e) => e.type === 'health_check' && labelOf(e.ts, cadence) === doc.period);
        expect(doc.kpis.availability).toBe(health.length ? health.filter((e) => e.success).length / health.length : null);
      }
    }
    expect(bad).toEqual([]);
    expect(results.cadences.month.map((d) => d.period)).toEqual(['2026-05', '2026-06', '2026-07']);
  });

  it('agrees on every segment value of every dimension', () => {
    const convs = conversationsOf(events);
    const bad: string[] = [];
    for (const doc of results.cadences.month) {
      const inPeriod = convs.filter((c) => labelOf(c.start, 'month') === doc.period);
      for (const dimension of REFERENCE_DIMENSIONS) {
        const values = [...new Set(inPeriod.map((c) => segmentOf(c, dimension)))].sort();
        expect(Object.keys(doc.segments[dimension as keyof typeof doc.segments]).sort()).toEqual(values);
        for (const value of values)
          bad.push(...mismatches(`${doc.period} ${dimension}=${value}`, doc.segments[dimension as keyof typeof doc.segments][value], figuresOf(inPeriod.filter((c) => segmentOf(c, dimension) === value), HUMAN_COST)));
      }
    }
    expect(bad).toEqual([]);
  });

  it('holds resolution + escalation + abandonment = 1 and segment counts summing to the period, everywhere', () => {
    for (const periods of Object.values(results.cadences))
      for (const doc of periods) {
        if (!doc.kpis.conversations) continue;
        for (const figures of [doc.kpis, ...Object.values(doc.segments).flatMap((v) => Object.values(v))])
          expect(figures.resolution_rate! + figures.escalation_rate! + figures.abandonment_rate!).toBeCloseTo(1, 12);
        for (const values of Object.values(doc.segments)) expect(Object.values(values).reduce((n, s) => n + s.conversations!, 0)).toBe(doc.kpis.conversations);
      }
  });
});
