import fs from 'node:fs';
import path from 'node:path';
import { QUARANTINE_FILE } from '../data/manifest.ts';
import { linesOf } from '../data/readers/lines.ts';
import type { QuarantineSummary } from './data.ts';

/** A reason with every quoted or reported value removed: `ts: not a real date: "…"` → `ts: not a real date`. */
export function elideValues(reason: string): string {
  return reason
    .split('; ')
    .map((part) =>
      part
        .replace(/, got .*$/, '')
        .replace(/: "(?:[^"\\]|\\.)*"$/, '')
        .replace(/ "(?:[^"\\]|\\.)*"/g, '')
        .replace(/\(.*\)$/, '')
        .trim(),
    )
    .join('; ');
}

/** Counts of the quarantine's reasons (values elided) and a small sample of places, never the rows themselves. */
export async function summarizeQuarantine(snapshotsDir: string, sampleSize = 20): Promise<QuarantineSummary> {
  const file = path.join(snapshotsDir, QUARANTINE_FILE);
  const summary: QuarantineSummary = { total: 0, reasons: [], sample: [] };
  if (!fs.existsSync(file)) return summary;
  const counts = new Map<string, number>();
  for await (const [line] of linesOf(fs.createReadStream(file))) {
    if (!line.trim()) continue;
    const entry = JSON.parse(line) as { source: string; line?: number; row?: number; reason: string };
    const reason = elideValues(entry.reason);
    summary.total++;
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
    if (summary.sample.length < sampleSize)
      summary.sample.push({ source: path.basename(entry.source), position: entry.line !== undefined ? `line ${entry.line}` : `row ${entry.row}`, reason });
  }
  summary.reasons = [...counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
  return summary;
}
