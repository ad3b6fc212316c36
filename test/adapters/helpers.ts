import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { adapterReader, type AdapterReader, type SourceFormat } from '../../src/data/adapters/index.ts';
import type { AdaptersConfig } from '../../src/data/adapters/options.ts';
import type { Outcome } from '../../src/data/adapters/common.ts';
import type { SourceRecord } from '../../src/data/readers/source.ts';
import { validateEvent } from '../../src/data/schema.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SAMPLES = path.resolve(ROOT, '..', 'shared', 'samples');
/**
 * The platform samples are the workspace's (../shared, beside the checkout, as in CI), not the repository's:
 * a clone elsewhere skips the tests that read them.
 */
export const HAS_SAMPLES = fs.existsSync(SAMPLES);
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'adapters');
export const sample = (rel: string) => path.join(SAMPLES, rel);
export const fixture = (name: string) => path.join(FIXTURES, name);

const made: string[] = [];
export function tmpDir(tag = 'adapters'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kpi-${tag}-`));
  made.push(dir);
  return dir;
}
export function cleanup(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export function writeFile(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

export const gzip = (text: string) => zlib.gzipSync(Buffer.from(text));

export interface Read {
  reader: AdapterReader;
  records: SourceRecord[];
  /** The canonical events, in the reader's order. */
  events: Record<string, unknown>[];
  errors: string[];
}

/** Reads a platform export through its adapter; every event must pass the canonical schema. */
export async function read(format: SourceFormat, file: string, config?: AdaptersConfig): Promise<Read> {
  const reader = adapterReader(format, file, config);
  const records: SourceRecord[] = [];
  for await (const r of reader.records()) records.push(r);
  const events = records.filter((r) => r.values).map((r) => r.values!);
  for (const e of events) {
    const v = validateEvent({ ...e });
    if (!v.ok) throw new Error(`${file}: invalid canonical event ${JSON.stringify(e)}: ${v.reason}`);
  }
  return { reader, records, events, errors: records.filter((r) => r.error).map((r) => r.error!) };
}

export const byId = (events: Record<string, unknown>[]) => Object.fromEntries(events.map((e) => [e.event_id as string, e]));
export const ofType = (events: Record<string, unknown>[], type: string) => events.filter((e) => e.type === type);

/** The events of mapped outcomes, flattened (for the pure mapping functions). */
export const outcomeEvents = (outcomes: Outcome[]) => outcomes.flatMap((o) => ('events' in o ? o.events : []));
export const iso = (ms: unknown) => new Date(ms as number).toISOString();
