/**
 * `npm run bench:kpis`: computeResults() on the benchmark snapshots — cold (empty cache), warm (same cache) and
 * after appending one month (a copy of the snapshots plus one more month, warm cache) — beside one DuckDB pass
 * that reads every snapshot column once. Each part runs in its own process. Targets (issue 4): cold under 30 s,
 * one new month under 5 s.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ensureData, printSql, machineNote, printTable, removeDir, runPart, SNAPSHOTS_DIR, tempDir, type PartResult, type Row } from './common.ts';

const COLD_TARGET = 30;
const NEW_MONTH_TARGET = 5;


const marker = ensureData();
console.log(`bench:kpis — snapshots of ${marker.snapshots.kept} events in ${SNAPSHOTS_DIR}; ${machineNote()}`);
const tmp = tempDir('kpis');
const cacheDir = path.join(tmp, 'cache');
let ref: PartResult, cold: PartResult, warm: PartResult, append: PartResult, newMonth: PartResult;
try {
  ref = await runPart('one pass over every column (reference)', 'readReference', { dir: SNAPSHOTS_DIR });
  cold = await runPart('computeResults cold', 'kpis', { dir: SNAPSHOTS_DIR, cacheDir });
  warm = await runPart('computeResults warm', 'kpis', { dir: SNAPSHOTS_DIR, cacheDir });
  const copy = path.join(tmp, 'snapshots');
  fs.cpSync(SNAPSHOTS_DIR, copy, { recursive: true });
  append = await runPart('snapshot() of one more month (info)', 'snapshot', { inputs: marker.next.files, out: copy });
  newMonth = await runPart('computeResults after one more month', 'kpis', { dir: copy, cacheDir });
} finally {
  removeDir(tmp);
}

const periodsNote = (r: PartResult) => `${r.data.periods} periods (${r.data.weeks} w, ${r.data.months} m, ${r.data.quarters} q)`;
const rows: Row[] = [
  { label: ref.label, seconds: ref.seconds, rssMb: ref.rssMb, ratio: 1, note: `${ref.data.events} events, ${ref.data.conversations} conversations` },
  { label: cold.label, seconds: cold.seconds, rssMb: cold.rssMb, ratio: cold.seconds / ref.seconds, target: `<${COLD_TARGET} s`, met: cold.seconds < COLD_TARGET, note: periodsNote(cold) },
  { label: warm.label, seconds: warm.seconds, rssMb: warm.rssMb, ratio: warm.seconds / ref.seconds, note: periodsNote(warm) },
  { label: append.label, seconds: append.seconds, rssMb: append.rssMb, ratio: append.seconds / ref.seconds, note: `${append.data.kept} events kept, months rewritten ${append.data.rewritten.join(' ')}` },
  {
    label: newMonth.label,
    seconds: newMonth.seconds,
    rssMb: newMonth.rssMb,
    ratio: newMonth.seconds / ref.seconds,
    target: `<${NEW_MONTH_TARGET} s`,
    met: newMonth.seconds < NEW_MONTH_TARGET,
    note: periodsNote(newMonth),
  },
];
printTable('bench:kpis (MB = 2^20 bytes; peak RSS of the part\'s process)', rows);
for (const r of [ref, cold, warm, append, newMonth]) printSql(r);
const met = cold.seconds < COLD_TARGET && newMonth.seconds < NEW_MONTH_TARGET;
console.log(
  `\nsummary: KPIs cold ${cold.seconds.toFixed(1)} s (${(cold.seconds / ref.seconds).toFixed(1)}× the ${ref.seconds.toFixed(1)} s read pass), warm ${warm.seconds.toFixed(2)} s, one new month ${newMonth.seconds.toFixed(2)} s: targets ${met ? 'met' : 'NOT met'}`,
);
