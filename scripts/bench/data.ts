/**
 * `npm run bench:data`: the shared benchmark data set, generated once into `.bench/` (reused while
 * `.bench/data.json` records the same parameters): about 10 million canonical events as NDJSON (one file per
 * month, src/sample writeSample), the same rows as CSV (canonical column order, RFC 4180 quoting), one more
 * month of NDJSON for the "append one month" measurements, and the snapshots of the NDJSON (`.bench/snapshots`).
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { once } from 'node:events';
import { snapshot } from '../../src/data/snapshot.ts';
import { FIELD_NAMES } from '../../src/data/schema.ts';
import { writeSample } from '../../src/sample/generate.ts';
import {
  BENCH_DIR,
  CSV_DIR,
  DATA_PARAMS,
  dataComplete,
  dirBytes,
  listFiles,
  mb,
  NDJSON_DIR,
  NEXT_MONTH_DIR,
  readMarker,
  SNAPSHOTS_DIR,
  writeMarker,
  type DataMarker,
} from './common.ts';

/** One CSV cell (RFC 4180): empty for a missing value, quoted when it holds a comma, quote, CR or LF. */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Streams one NDJSON file into a CSV file with the canonical header; returns the rows written. */
async function ndjsonToCsv(from: string, to: string): Promise<number> {
  const tmp = `${to}.tmp`;
  const out = fs.createWriteStream(tmp);
  let buffer: string[] = [FIELD_NAMES.join(',')];
  let size = 0;
  let rows = 0;
  const flush = async () => {
    if (!buffer.length) return;
    const ok = out.write(`${buffer.join('\r\n')}\r\n`);
    buffer = [];
    size = 0;
    if (!ok) await once(out, 'drain');
  };
  const lines = readline.createInterface({ input: fs.createReadStream(from, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    const event = JSON.parse(line) as Record<string, unknown>;
    const row = FIELD_NAMES.map((f) => csvCell(event[f])).join(',');
    buffer.push(row);
    size += row.length;
    rows += 1;
    if (size > 1 << 20) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
  fs.renameSync(tmp, to);
  return rows;
}

async function main(): Promise<void> {
  const found = readMarker();
  const marker: DataMarker = found ?? { params: DATA_PARAMS };
  // A stage whose files went missing is made again (and the snapshots, which depend on the NDJSON, with it).
  const present = (files: string[] | undefined) => !!files && files.every((f) => fs.existsSync(f));
  if (marker.ndjson && !present(marker.ndjson.files)) {
    delete marker.ndjson;
    delete marker.csv;
    delete marker.snapshots;
  }
  if (marker.csv && !present(marker.csv.files)) delete marker.csv;
  if (marker.next && !present(marker.next.files)) delete marker.next;
  if (marker.snapshots && !fs.existsSync(path.join(SNAPSHOTS_DIR, 'manifest.json'))) delete marker.snapshots;
  if (!found) {
    // Other parameters or no marker: start over.
    for (const d of [NDJSON_DIR, CSV_DIR, NEXT_MONTH_DIR, SNAPSHOTS_DIR]) fs.rmSync(d, { recursive: true, force: true });
    writeMarker(marker);
  }
  const p = DATA_PARAMS;

  if (!marker.ndjson) {
    console.log(`generating ${p.conversations} conversations over ${p.months} months from ${p.start} as NDJSON…`);
    fs.rmSync(NDJSON_DIR, { recursive: true, force: true });
    const t = performance.now();
    const r = await writeSample(NDJSON_DIR, { start: p.start, months: p.months, conversations: p.conversations, seed: p.seed });
    marker.ndjson = { files: r.files, events: r.events, bytes: dirBytes(NDJSON_DIR), seconds: (performance.now() - t) / 1000 };
    writeMarker(marker);
  }

  if (!marker.csv) {
    console.log('converting the NDJSON to CSV…');
    fs.rmSync(CSV_DIR, { recursive: true, force: true });
    fs.mkdirSync(CSV_DIR, { recursive: true });
    const t = performance.now();
    const files: string[] = [];
    let rows = 0;
    for (const file of marker.ndjson.files) {
      const to = path.join(CSV_DIR, path.basename(file).replace(/\.ndjson$/, '.csv'));
      rows += await ndjsonToCsv(file, to);
      files.push(to);
    }
    marker.csv = { files, rows, bytes: dirBytes(CSV_DIR), seconds: (performance.now() - t) / 1000 };
    writeMarker(marker);
  }

  if (!marker.next) {
    const n = p.next;
    console.log(`generating the extra month ${n.start} (${n.conversations} conversations)…`);
    fs.rmSync(NEXT_MONTH_DIR, { recursive: true, force: true });
    const r = await writeSample(NEXT_MONTH_DIR, { start: n.start, months: n.months, conversations: n.conversations, seed: n.seed });
    marker.next = { files: r.files, events: r.events };
    writeMarker(marker);
  }

  if (!marker.snapshots) {
    console.log(`snapshotting the NDJSON into ${path.relative(process.cwd(), SNAPSHOTS_DIR)}…`);
    fs.rmSync(SNAPSHOTS_DIR, { recursive: true, force: true });
    const t = performance.now();
    const r = await snapshot(listFiles(NDJSON_DIR, '.ndjson'), { out: SNAPSHOTS_DIR, timezone: 'UTC', rebuild: true });
    marker.snapshots = { read: r.read, kept: r.kept, seconds: (performance.now() - t) / 1000 };
    writeMarker(marker);
  }

  if (!dataComplete(marker)) throw new Error('incomplete data set');
  console.log(
    [
      `benchmark data in ${BENCH_DIR}:`,
      `  NDJSON     ${NDJSON_DIR}  ${marker.ndjson.events} events in ${marker.ndjson.files.length} files, ${mb(marker.ndjson.bytes).toFixed(0)} MB`,
      `  CSV        ${CSV_DIR}  ${marker.csv.rows} rows, ${mb(marker.csv.bytes).toFixed(0)} MB`,
      `  next month ${NEXT_MONTH_DIR}  ${marker.next.events} events`,
      `  snapshots  ${SNAPSHOTS_DIR}  ${marker.snapshots.kept} events kept of ${marker.snapshots.read} read, ${mb(dirBytes(SNAPSHOTS_DIR)).toFixed(0)} MB`,
      `(npm run bench:clean removes it)`,
    ].join('\n'),
  );
}

await main();
