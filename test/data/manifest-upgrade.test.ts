import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest } from '../../src/data/manifest.ts';
import { snapshot } from '../../src/data/snapshot.ts';

const write = (dir: string, name: string, events: object[]) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return file;
};
const started = (id: string, ts: string) => ({ event_id: id, ts, conversation_id: `c-${id}`, type: 'conversation_started' });

describe('snapshots written before months recorded their span', () => {
  it('are added to: the carried-over months get their span from their files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-upgrade-'));
    const out = path.join(dir, 'snap');
    await snapshot([write(dir, 'a.ndjson', [started('a', '2026-01-05T10:00:00Z'), started('b', '2026-02-07T09:00:00Z')])], { out, timezone: 'UTC' });
    const expected = readManifest(out)!;
    const old = structuredClone(expected) as unknown as { months: Record<string, { span?: unknown }> };
    for (const month of Object.values(old.months)) delete month.span;
    fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(old));

    await snapshot([write(dir, 'b.ndjson', [started('c', '2026-03-01T08:00:00Z')])], { out, timezone: 'UTC' });
    const manifest = readManifest(out)!;
    expect(manifest.months['2026-01'].span).toEqual(expected.months['2026-01'].span);
    expect(manifest.months['2026-02'].span).toEqual(expected.months['2026-02'].span);
    expect(manifest.period_range).toEqual({ first_ts: '2026-01-05T10:00:00.000Z', last_ts: '2026-03-01T08:00:00.000Z' });
  });
});
