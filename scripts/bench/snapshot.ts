/**
 * `npm run bench:snapshot`: snapshot() of the 10-million-event benchmark export (NDJSON, then CSV) beside
 * DuckDB's bare `COPY (SELECT * FROM read_json(…)) TO '….parquet'` of the same NDJSON and the DuckDB-only floor
 * of the job (part.ts snapshotFloor: under a 1 GB cap, and with no cap), each part in its own process. Targets (issue 3): within 1.5× of the bare copy, peak RSS under 2 GB.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ensureData, printSql, machineNote, printTable, removeDir, runPart, tempDir, type PartResult, type Row } from './common.ts';

const RATIO_TARGET = 1.5;
const RSS_TARGET_MB = 2048;


const marker = ensureData();
const events = marker.ndjson.events;
console.log(`bench:snapshot — ${events} events (NDJSON ${marker.ndjson.files.length} files, CSV ${marker.csv.files.length} files); ${machineNote()}`);
const tmp = tempDir('snapshot');
const results: PartResult[] = [];
try {
  const refOut = path.join(tmp, 'reference.parquet');
  const ref = await runPart('DuckDB bare COPY read_json (reference)', 'copyReference', { files: marker.ndjson.files, out: refOut });
  fs.rmSync(refOut, { force: true });
  results.push(ref);
  const floorOut = path.join(tmp, 'floor');
  for (const [label, memoryLimit] of [
    ['DuckDB-only floor of the job, 1 GB cap', '1GB'],
    ['the same floor, no memory cap', undefined],
  ] as const) {
    results.push(await runPart(label, 'snapshotFloor', { files: marker.ndjson.files, out: floorOut, memoryLimit }));
    fs.rmSync(floorOut, { recursive: true, force: true });
  }
  for (const [label, files] of [
    ['snapshot() NDJSON', marker.ndjson.files],
    ['snapshot() CSV', marker.csv.files],
  ] as const) {
    const out = path.join(tmp, 'snapshots');
    const r = await runPart(label, 'snapshot', { inputs: files, out });
    fs.rmSync(out, { recursive: true, force: true });
    results.push(r);
  }
} finally {
  removeDir(tmp);
}

const [ref, floor, unboundedFloor, ...runs] = results;
const rows: Row[] = [
  { label: ref.label, seconds: ref.seconds, rssMb: ref.rssMb, ratio: 1, note: `${Math.round(events / ref.seconds)} events/s, ${ref.data.rows} rows` },
  ...[floor, unboundedFloor].map((f, i) => ({
    label: f.label,
    seconds: f.seconds,
    rssMb: f.rssMb,
    ratio: f.seconds / ref.seconds,
    note: i === 0 ? 'no validation; typed read, de-duplication, month placement, sorted month files and rollups' : 'the same work with all the memory DuckDB wants',
  })),
];
let allMet = true;
for (const r of runs) {
  const ratio = r.seconds / ref.seconds;
  const met = ratio <= RATIO_TARGET && r.rssMb < RSS_TARGET_MB;
  allMet &&= met;
  rows.push({
    label: r.label,
    seconds: r.seconds,
    rssMb: r.rssMb,
    ratio,
    target: `≤${RATIO_TARGET}×, <${RSS_TARGET_MB} MB`,
    met,
    note: `${Math.round(events / r.seconds)} events/s; time ${ratio <= RATIO_TARGET ? 'met' : 'missed'}, RSS ${r.rssMb < RSS_TARGET_MB ? 'met' : 'missed'}; kept ${r.data.kept}, dup ${r.data.duplicates}, quarantined ${r.data.quarantined}`,
  });
}
printTable('bench:snapshot (MB = 2^20 bytes; peak RSS of the part\'s process)', rows);
for (const r of results) printSql(r);
console.log(
  `\nsummary: DuckDB-only floor ${floor.seconds.toFixed(1)} s (${(floor.seconds / ref.seconds).toFixed(2)}×; ${(unboundedFloor.seconds / ref.seconds).toFixed(2)}× with no memory cap); snapshot NDJSON ${runs[0].seconds.toFixed(1)} s (${(runs[0].seconds / ref.seconds).toFixed(2)}× the bare copy's ${ref.seconds.toFixed(1)} s, ${runs[0].rssMb.toFixed(0)} MB), CSV ${runs[1].seconds.toFixed(1)} s (${(runs[1].seconds / ref.seconds).toFixed(2)}×, ${runs[1].rssMb.toFixed(0)} MB): targets ${allMet ? 'met' : 'NOT met'}`,
);
