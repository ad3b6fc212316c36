import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { snapshot } from '../../src/data/snapshot.ts';

/** Writes events as NDJSON into a temp folder and snapshots them; returns the snapshot folder. */
export async function snapshotOf(events: object[], timezone = 'UTC'): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-test-'));
  const file = path.join(dir, 'events.ndjson');
  fs.writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const out = path.join(dir, 'snapshots');
  await snapshot([file], { out, timezone });
  return out;
}
