/**
 * Shared helpers of the benchmarks (`npm run bench:*`). Benchmark data lives only in the git-ignored `.bench/`
 * folder at the project root. Each measured part runs in its own child process (scripts/bench/part.ts) so that
 * its peak RSS is its own: the child times the part itself and `/usr/bin/time` reports the child's maximum RSS
 * (the largest of the child and the helper processes it waited for, e.g. esbuild or pagefind).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BENCH_DIR = path.join(ROOT, '.bench');
export const DATA_DIR = path.join(BENCH_DIR, 'data');
export const NDJSON_DIR = path.join(DATA_DIR, 'ndjson');
export const CSV_DIR = path.join(DATA_DIR, 'csv');
/** One more month after the data set, for the "append one month" measurements. */
export const NEXT_MONTH_DIR = path.join(DATA_DIR, 'next-month');
export const SNAPSHOTS_DIR = path.join(BENCH_DIR, 'snapshots');
export const MARKER = path.join(BENCH_DIR, 'data.json');
const TMP_DIR = path.join(BENCH_DIR, 'tmp');
const PART = path.join(ROOT, 'scripts', 'bench', 'part.ts');

/** The data set: about 10 million canonical events (10.75 per conversation) over 12 months. */
export const DATA_PARAMS = {
  version: 1,
  start: '2025-12',
  months: 12,
  conversations: 935_000,
  seed: 20_251_201,
  /** The appended month: right after the last one, with a twelfth of the conversations and its own seed (distinct ids). */
  next: { start: '2026-12', months: 1, conversations: Math.round(935_000 / 12), seed: 20_261_201 },
} as const;

export interface DataMarker {
  params: typeof DATA_PARAMS;
  ndjson?: { files: string[]; events: number; bytes: number; seconds: number };
  csv?: { files: string[]; rows: number; bytes: number; seconds: number };
  next?: { files: string[]; events: number };
  snapshots?: { kept: number; read: number; seconds: number };
}

export function readMarker(): DataMarker | undefined {
  try {
    const marker = JSON.parse(fs.readFileSync(MARKER, 'utf8')) as DataMarker;
    return JSON.stringify(marker.params) === JSON.stringify(DATA_PARAMS) ? marker : undefined;
  } catch {
    return undefined;
  }
}

export function writeMarker(marker: DataMarker): void {
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  fs.writeFileSync(`${MARKER}.tmp`, JSON.stringify(marker, null, 2));
  fs.renameSync(`${MARKER}.tmp`, MARKER);
}

/** Every stage recorded in the marker and its files still there. */
export const dataComplete = (m: DataMarker | undefined): m is Required<DataMarker> =>
  !!(m?.ndjson && m.csv && m.next && m.snapshots) &&
  [...m.ndjson.files, ...m.csv.files, ...m.next.files, path.join(SNAPSHOTS_DIR, 'manifest.json')].every((f) => fs.existsSync(f));

/** The data set, generating it first (`npm run bench:data`) when it is missing or was made with other parameters. */
export function ensureData(): Required<DataMarker> {
  let marker = readMarker();
  if (!dataComplete(marker)) {
    console.log('benchmark data missing or incomplete: running scripts/bench/data.ts');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'bench', 'data.ts')], { stdio: 'inherit', cwd: ROOT });
    if (r.status !== 0) throw new Error('bench:data failed');
    marker = readMarker();
    if (!dataComplete(marker)) throw new Error('bench:data did not complete');
  }
  return marker;
}

/** A fresh temporary folder under `.bench/tmp` (inside the project so that temporary Astro projects resolve `astro`). */
export function tempDir(label: string): string {
  fs.mkdirSync(TMP_DIR, { recursive: true });
  return fs.mkdtempSync(path.join(TMP_DIR, `${label}-`));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  try {
    fs.rmdirSync(TMP_DIR); // only when empty
  } catch {}
}

export function dirBytes(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) n += fs.statSync(path.join(e.parentPath, e.name)).size;
  return n;
}

export function listFiles(dir: string, ext: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => path.join(dir, f));
}

export interface PartResult {
  label: string;
  seconds: number;
  /** Peak RSS of the part's process, MB (MiB). */
  rssMb: number;
  /** Whatever the part reported besides its time. */
  data: Record<string, any>;
}

/** Line the part child prints with its outcome. */
export const RESULT_TAG = 'BENCH_RESULT ';

/**
 * Runs one measured part (scripts/bench/part.ts `name`) in a child process: the child times the part itself
 * (Node start-up and imports excluded); peak RSS comes from `/usr/bin/time` (falling back to the child's own
 * `process.resourceUsage().maxRSS`).
 */
export async function runPart(label: string, name: string, args: Record<string, unknown>, env: Record<string, string> = {}): Promise<PartResult> {
  const rssFile = path.join(os.tmpdir(), `kpi-bench-rss-${process.pid}-${Date.now()}`);
  const haveTime = fs.existsSync('/usr/bin/time');
  const argv = [PART, name, JSON.stringify(args)];
  const cmd = haveTime ? '/usr/bin/time' : process.execPath;
  const cmdArgs = haveTime ? ['-f', '%M', '-o', rssFile, process.execPath, ...argv] : argv;
  process.stdout.write(`  … ${label}\n`);
  const child = spawn(cmd, cmdArgs, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    out += text;
    for (const line of text.split('\n')) if (line && !line.startsWith(RESULT_TAG)) process.stdout.write(`    ${line}\n`);
  });
  const code: number = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  if (code !== 0) {
    fs.rmSync(rssFile, { force: true });
    throw new Error(`${label}: part ${name} exited with ${code}`);
  }
  const line = out.split('\n').find((l) => l.startsWith(RESULT_TAG));
  if (!line) throw new Error(`${label}: part ${name} reported nothing`);
  const result = JSON.parse(line.slice(RESULT_TAG.length)) as { seconds: number; maxRssKb: number; data: Record<string, any> };
  let rssKb = result.maxRssKb;
  if (haveTime) {
    const m = /(\d+)\s*$/.exec(fs.readFileSync(rssFile, 'utf8'));
    if (m) rssKb = Math.max(rssKb, Number(m[1]));
    fs.rmSync(rssFile, { force: true });
  }
  return { label, seconds: result.seconds, rssMb: rssKb / 1024, data: result.data };
}

export interface Row {
  label: string;
  seconds?: number;
  rssMb?: number;
  /** Ratio to the reference (seconds / reference seconds). */
  ratio?: number;
  target?: string;
  met?: boolean;
  note?: string;
}

const fmt = (n: number | undefined, digits: number) => (n === undefined || !Number.isFinite(n) ? '' : n.toFixed(digits));

/** Prints the compact result table. */
export function printTable(title: string, rows: Row[]): void {
  const header = ['', 'seconds', 'peak RSS MB', 'ratio', 'target', 'met', 'note'];
  const cells = rows.map((r) => [
    r.label,
    fmt(r.seconds, 2),
    fmt(r.rssMb, 0),
    r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`,
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
    r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (i === 0 || i >= 4 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ').trimEnd();
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
}

/** The DuckDB statement timings of a part run with BENCH_SQL_TIMING set (see part.ts). */
export function printSql(result: PartResult): void {
  if (!result.data.sql) return;
  console.log(`  DuckDB statements of "${result.label}": ${result.data.sqlSeconds.toFixed(2)} s of ${result.seconds.toFixed(2)} s; slowest groups (statements differing only in literals summed):`);
  for (const s of result.data.sql) console.log(`    ${s.seconds.toFixed(2).padStart(7)} s ${`×${s.count}`.padStart(4)}  ${s.sql}`);
}

/** Machine context printed with every bench: other processes may be running. */
export function machineNote(): string {
  const [l1, l5, l15] = os.loadavg().map((l) => l.toFixed(2));
  return `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${l1} ${l5} ${l15} (other processes may be running)`;
}

export const mb = (bytes: number) => bytes / 2 ** 20;

/** One function (or file) of a CPU profile: seconds spent in it (self) and in it or what it called (total). */
export interface ProfileEntry {
  name: string;
  self: number;
  total: number;
}

/**
 * Where the main thread's time went in a V8 `.cpuprofile` (`node --cpu-prof`): per function (name and
 * `file:line`) and per source file, self and total seconds (recursion counted once). Work on other threads
 * (DuckDB's) is not in it: the main thread waiting for it shows as `(idle)` or `(program)`.
 */
export function summariseCpuProfile(file: string): { seconds: number; functions: ProfileEntry[]; files: ProfileEntry[] } {
  interface Node {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  // timeDeltas[i] is the time before sample i; the time after a sample (up to the next) is the sample's.
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt / 1e6);
  }
  const fileOf = (url: string) => (url ? (url.startsWith(`file://${ROOT}/`) ? url.slice(`file://${ROOT}/`.length) : url.replace(/^file:\/\//, '')) : '(V8 and native)');
  const keys = (n: Node) => {
    const f = fileOf(n.callFrame.url);
    return [`${n.callFrame.functionName || '(anonymous)'}  ${f}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`, f];
  };
  const functions = new Map<string, ProfileEntry>();
  const files = new Map<string, ProfileEntry>();
  const entry = (m: Map<string, ProfileEntry>, name: string) => m.get(name) ?? (m.set(name, { name, self: 0, total: 0 }).get(name) as ProfileEntry);
  const active = new Map<string, number>();
  // Depth-first, iteratively: a node's subtree time is added to each function and file on its path once.
  const subtree = new Map<number, number>();
  const order: Node[] = [];
  const stack: Node[] = [profile.nodes[0]];
  while (stack.length) {
    const n = stack.pop()!;
    order.push(n);
    for (const c of n.children ?? []) stack.push(byId.get(c)!);
  }
  for (const n of order.toReversed()) subtree.set(n.id, (self.get(n.id) ?? 0) + (n.children ?? []).reduce((s, c) => s + subtree.get(c)!, 0));
  const visit: [Node, boolean][] = [[profile.nodes[0], false]];
  while (visit.length) {
    const [n, leaving] = visit.pop()!;
    const [fn, f] = keys(n);
    if (leaving) {
      for (const k of [`f:${fn}`, `F:${f}`]) active.set(k, active.get(k)! - 1);
      continue;
    }
    entry(functions, fn).self += self.get(n.id) ?? 0;
    entry(files, f).self += self.get(n.id) ?? 0;
    if (!active.get(`f:${fn}`)) entry(functions, fn).total += subtree.get(n.id)!;
    if (!active.get(`F:${f}`)) entry(files, f).total += subtree.get(n.id)!;
    for (const k of [`f:${fn}`, `F:${f}`]) active.set(k, (active.get(k) ?? 0) + 1);
    visit.push([n, true]);
    for (const c of n.children ?? []) visit.push([byId.get(c)!, false]);
  }
  const seconds = [...self.values()].reduce((s, x) => s + x, 0);
  const sorted = (m: Map<string, ProfileEntry>) => [...m.values()].sort((a, b) => b.self - a.self);
  return { seconds, functions: sorted(functions), files: sorted(files) };
}
