import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../fs/atomic.ts';
import type { PeriodDocument } from './results.ts';

/** What the cache keeps of a period: its own figures (previous, change and partial are assembled afresh). */
export type CachedFigures = Pick<PeriodDocument, 'kpis' | 'segments' | 'breakdowns'>;

const fileOf = (dir: string, cadence: string, label: string) => path.join(dir, cadence, `${label}.json`);

export function readCache(dir: string, cadence: string, label: string, key: string): CachedFigures | undefined {
  try {
    const entry = JSON.parse(fs.readFileSync(fileOf(dir, cadence, label), 'utf8')) as { key: string; figures: CachedFigures };
    return entry.key === key ? entry.figures : undefined;
  } catch {
    return undefined;
  }
}

/** Best effort: a cache that cannot be written only costs time next run. */
export function writeCache(dir: string, cadence: string, label: string, key: string, figures: CachedFigures): void {
  try {
    fs.mkdirSync(path.join(dir, cadence), { recursive: true });
    writeFileAtomic(fileOf(dir, cadence, label), JSON.stringify({ key, figures }));
  } catch {
    // ignored on purpose: see above
  }
}
