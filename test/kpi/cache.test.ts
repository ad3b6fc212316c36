import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshot } from '../../src/data/snapshot.ts';
import { computeResults } from '../../src/kpi/engine.ts';

const ev = (id: string, ts: string, conversation_id: string, type: string, extra: object = {}) => ({ event_id: id, ts, conversation_id, type, ...extra });
const month = (m: string, user: string, n: number) =>
  Array.from({ length: n }, (_, i) => [
    ev(`${m}-${i}-s`, `${m}-1${i % 9}T10:00:00Z`, `${m}-c${i}`, 'conversation_started', { user_id: `${user}${i % 3}`, channel: i % 2 ? 'web' : 'app' }),
    ev(`${m}-${i}-b`, `${m}-1${i % 9}T10:00:05Z`, `${m}-c${i}`, 'bot_message', { latency_ms: 100 + i, fallback: i % 4 === 0 }),
    ...(i % 3 ? [ev(`${m}-${i}-r`, `${m}-1${i % 9}T10:01:00Z`, `${m}-c${i}`, 'resolved')] : []),
  ]).flat();

function write(dir: string, name: string, events: object[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return file;
}

describe('results cache', () => {
  it('gives the same results as a cold run after appending a month and after a late event', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-cache-'));
    const out = path.join(dir, 'snap');
    const cacheDir = path.join(dir, 'cache');
    await snapshot([write(dir, 'a.ndjson', [...month('2026-01', 'u', 6), ...month('2026-02', 'u', 5)])], { out, timezone: 'UTC' });
    const first = await computeResults(out, { humanContactCostUsd: 3, cacheDir });
    expect(await computeResults(out, { humanContactCostUsd: 3, cacheDir })).toEqual(first);

    // A new month, by a user first seen in it; the older periods' figures come from the cache.
    await snapshot([write(dir, 'b.ndjson', month('2026-03', 'v', 4))], { out, timezone: 'UTC' });
    const cached = await computeResults(out, { humanContactCostUsd: 3, cacheDir });
    const cold = await computeResults(out, { humanContactCostUsd: 3 });
    expect(cached).toEqual(cold);
    expect(cached.cadences.month.map((p) => p.period)).toEqual(['2026-01', '2026-02', '2026-03']);

    // A late conversation in January by user v1 makes v1 (one March conversation) a returning user in March: March must be recomputed.
    await snapshot([write(dir, 'c.ndjson', [ev('late-s', '2026-01-02T08:00:00Z', 'late', 'conversation_started', { user_id: 'v1' })])], { out, timezone: 'UTC' });
    const afterLate = await computeResults(out, { humanContactCostUsd: 3, cacheDir });
    expect(afterLate).toEqual(await computeResults(out, { humanContactCostUsd: 3 }));
    const march = (r: typeof cold) => r.cadences.month.find((p) => p.period === '2026-03')!.kpis.returning_users;
    expect(march(afterLate)).toBe(march(cold)! + 1);
  });

  it('keys the cache on human_contact_cost_usd', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-cache-'));
    const out = path.join(dir, 'snap');
    const cacheDir = path.join(dir, 'cache');
    await snapshot([write(dir, 'a.ndjson', month('2026-01', 'u', 6))], { out, timezone: 'UTC' });
    const a = await computeResults(out, { humanContactCostUsd: 3, cacheDir });
    const b = await computeResults(out, { humanContactCostUsd: 5, cacheDir });
    expect(b.cadences.month[0].kpis.deflection_value_usd).toBe((a.cadences.month[0].kpis.deflection_value_usd! / 3) * 5);
  });
});
