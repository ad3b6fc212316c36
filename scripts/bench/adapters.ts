/**
 * `npm run bench:adapters` (issue 9): snapshot() of a generated OpenTelemetry GenAI export of 1 million spans
 * (OTLP/JSON, one ExportTraceServiceRequest per line as the Collector's file exporter writes it) beside snapshot()
 * of the same events as canonical NDJSON, each in its own process (time, peak RSS, events per second).
 * Target: the OpenTelemetry import within 2× of the canonical one.
 *
 * The data is generated once into `.bench/adapters/` (reused while its `data.json` records the same parameters):
 * the OTLP file from a seeded PRNG, then the canonical NDJSON by running the OTel adapter's mapping once over it
 * and writing the canonical events it yields, so that both runs snapshot the same events (checked: the same
 * kept count, and the same month files, by the manifest's content hashes).
 *
 * `BENCH_REPEAT=n` runs n rounds and reports medians (for a busy machine).
 * `BENCH_CPU_PROF=1` also writes a CPU profile of the OTel child (`node --cpu-prof`, into `.bench/adapters/profiles/`)
 * and prints where its main thread's time went (`BENCH_CPU_PROF=all`: of the canonical child too). The profiler
 * slows the child down: its times are not the benchmark's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { adapterReader, describeStats } from '../../src/data/adapters/index.ts';
import { BENCH_DIR, machineNote, mb, printTable, removeDir, runPart, summariseCpuProfile, tempDir, type PartResult, type Row } from './common.ts';

const RATIO_TARGET = 2;

/** The generated export: 1 million spans over three months (January to March 2026), from conversations of a support bot. */
const PARAMS = {
  version: 2,
  spans: 1_000_000,
  seed: 20_260_109,
  start: '2026-01-01T00:00:00Z',
  days: 89,
  /** Spans per request (line), inclusive range; each request groups its spans by resource and scope. */
  requestSpans: [50, 200],
  /** Conversations in flight at once: their traces interleave in the file. */
  concurrent: 16,
} as const;

const DIR = path.join(BENCH_DIR, 'adapters');
const OTEL_FILE = path.join(DIR, 'otel-genai.jsonl');
const CANONICAL_FILE = path.join(DIR, 'canonical.ndjson');
const MARKER_FILE = path.join(DIR, 'data.json');
const PROFILE_DIR = path.join(DIR, 'profiles');

interface Marker {
  params: typeof PARAMS;
  otel?: { spans: number; requests: number; traces: number; bytes: number; seconds: number };
  canonical?: { events: number; conversations: number; quarantined: number; source: string; bytes: number; seconds: number };
}

// ---------------------------------------------------------------------------------------------------------------
// Deterministic random numbers (sfc32 seeded by splitmix32)

function prng(seed: number) {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const u32 = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  const random = () => u32() / 2 ** 32;
  return {
    random,
    /** An integer in [lo, hi]. */
    int: (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1)),
    chance: (p: number) => random() < p,
    pick: <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)],
    /** `n` lower-case hex digits (n a multiple of 8), never all zeros. */
    hex(n: number): string {
      let s = '';
      for (let i = 0; i < n; i += 8) s += u32().toString(16).padStart(8, '0');
      return /^0+$/.test(s) ? this.hex(n) : s;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The OTLP export

type KeyValue = { key: string; value: Record<string, unknown> };
const sv = (key: string, v: string): KeyValue => ({ key, value: { stringValue: v } });
const iv = (key: string, v: number): KeyValue => ({ key, value: { intValue: String(v) } });
const dv = (key: string, v: number): KeyValue => ({ key, value: { doubleValue: v } });
const av = (key: string, v: string[]): KeyValue => ({ key, value: { arrayValue: { values: v.map((s) => ({ stringValue: s })) } } });

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  flags: number;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  status: { code?: number; message?: string };
}

/** A span waiting in the batch: which resource (bot instance) and instrumentation scope it belongs to. */
interface Pending {
  instance: number;
  scope: 0 | 1;
  span: OtlpSpan;
}

const INSTANCES = 3;
const SCOPES = [
  { name: 'opentelemetry.instrumentation.openai_v2', version: '2.1b0' },
  { name: 'support_bot.agent', version: '3.1.0' },
];
const TOOLS = ['lookup_order', 'track_shipment', 'create_ticket', 'refund_order', 'search_faq', 'update_address'];
const TOOL_ERRORS = [
  ['ServiceUnavailable', 'order service returned 503'],
  ['TimeoutError', 'tool call timed out after 3000 ms'],
  ['', 'invalid arguments: order_id is required'],
] as const;

/** Microseconds as unix-nanosecond digits (times stay exact in a double as µs). */
const ns = (us: number) => `${Math.round(us)}000`;

async function generateOtel(file: string): Promise<NonNullable<Marker['otel']>> {
  const t0 = performance.now();
  const r = prng(PARAMS.seed);
  const startUs = Date.parse(PARAMS.start) * 1000;
  const spanUs = PARAMS.days * 86_400e6;
  // About 13 spans per conversation (3 turns of 4 to 5 spans): conversation starts spread evenly over the days.
  const gapUs = spanUs / (PARAMS.spans / 13.1);
  const resources = Array.from({ length: INSTANCES }, (_, i) => ({
    attributes: [
      sv('service.name', 'support-bot'),
      sv('service.version', '3.1.0'),
      sv('service.instance.id', `${r.hex(8)}-${r.hex(8).slice(0, 4)}-${r.hex(8).slice(0, 4)}-${r.hex(8).slice(0, 4)}-${r.hex(16).slice(0, 12)}`),
      sv('host.name', `support-bot-${i + 1}`),
      sv('deployment.environment.name', 'production'),
      sv('telemetry.sdk.name', 'opentelemetry'),
      sv('telemetry.sdk.language', 'python'),
      sv('telemetry.sdk.version', '1.37.0'),
    ],
  }));

  const tmp = `${file}.tmp`;
  const out = fs.createWriteStream(tmp);
  let buffer: string[] = [];
  let size = 0;
  const flush = async () => {
    if (!buffer.length) return;
    const ok = out.write(`${buffer.join('\n')}\n`);
    buffer = [];
    size = 0;
    if (!ok) await once(out, 'drain');
  };

  let written = 0;
  let requests = 0;
  let traces = 0;
  let conversations = 0;
  let pending: Pending[] = [];
  let batch = r.int(PARAMS.requestSpans[0], PARAMS.requestSpans[1]);
  /** Writes one request of the first `n` pending spans, grouped by resource then scope in order of appearance. */
  const writeRequest = async (n: number) => {
    const groups = new Map<number, Map<number, OtlpSpan[]>>();
    for (const p of pending.slice(0, n)) {
      const scopes = groups.get(p.instance) ?? groups.set(p.instance, new Map()).get(p.instance)!;
      (scopes.get(p.scope) ?? scopes.set(p.scope, []).get(p.scope)!).push(p.span);
    }
    pending = pending.slice(n);
    const request = {
      resourceSpans: [...groups].map(([instance, scopes]) => ({
        resource: resources[instance],
        scopeSpans: [...scopes].map(([scope, spans]) => ({ scope: SCOPES[scope], spans })),
        schemaUrl: 'https://opentelemetry.io/schemas/1.37.0',
      })),
    };
    const line = JSON.stringify(request);
    buffer.push(line);
    size += line.length;
    written += n;
    requests++;
    if (size > 1 << 22) await flush();
  };

  interface Conversation {
    id: string;
    user: string | undefined;
    instance: number;
    /** Start of the next turn, µs. */
    at: number;
    turns: number;
  }
  const newConversation = (): Conversation => {
    const k = conversations++;
    return {
      id: `conv-${k.toString(36)}-${r.hex(8)}`,
      user: r.chance(0.8) ? `user-${r.int(1, 40_000)}` : undefined,
      instance: r.int(0, INSTANCES - 1),
      at: startUs + k * gapUs + r.random() * gapUs,
      turns: r.pick([1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 6]),
    };
  };

  /** One turn of a conversation: a trace whose spans come in the order they end (the root last), as exporters batch them. */
  const turn = (c: Conversation): Pending[] => {
    traces++;
    const traceId = r.hex(32);
    const rootId = r.hex(16);
    const day = (c.at - startUs) / 86_400e6;
    const [requestModel, responseModel] = r.chance(0.2) ? ['gpt-4o-mini', 'gpt-4o-mini-2024-07-18'] : day < 45 ? ['gpt-4o', 'gpt-4o-2024-08-06'] : ['gpt-4.1', 'gpt-4.1-2025-04-14'];
    const spans: Pending[] = [];
    let t = c.at + r.int(2_000, 20_000);
    const span = (scope: 0 | 1, kind: number, name: string, durationUs: number, attributes: KeyValue[], parent = rootId, error?: readonly [string, string]): OtlpSpan => {
      const s: OtlpSpan = {
        traceId,
        spanId: r.hex(16),
        parentSpanId: parent,
        flags: 257,
        name,
        kind,
        startTimeUnixNano: ns(t),
        endTimeUnixNano: ns(t + durationUs),
        attributes: error?.[0] ? [...attributes, sv('error.type', error[0])] : attributes,
        status: error ? { code: 2, message: error[1] } : {},
      };
      spans.push({ instance: c.instance, scope, span: s });
      t += durationUs + r.int(1_000, 30_000);
      return s;
    };
    const chat = (parent = rootId) => {
      const input = r.int(300, 6_000);
      const failed = r.chance(0.01);
      const output = failed ? 0 : r.int(10, 600);
      span(
        0,
        3,
        `chat ${requestModel}`,
        r.int(400_000, 5_000_000),
        [
          sv('gen_ai.operation.name', 'chat'),
          sv('gen_ai.provider.name', 'openai'),
          sv('gen_ai.request.model', requestModel),
          dv('gen_ai.request.temperature', 0.2),
          iv('gen_ai.request.max_tokens', 1024),
          sv('server.address', 'api.openai.com'),
          iv('server.port', 443),
          sv('gen_ai.conversation.id', c.id),
          ...(failed
            ? []
            : [
                sv('gen_ai.response.id', `chatcmpl-${r.hex(24)}`),
                sv('gen_ai.response.model', responseModel),
                av('gen_ai.response.finish_reasons', [r.chance(0.3) ? 'tool_calls' : 'stop']),
                iv('gen_ai.usage.input_tokens', input),
                iv('gen_ai.usage.output_tokens', output),
              ]),
        ],
        parent,
        failed ? ['RateLimitError', 'Rate limit reached for requests'] : undefined,
      );
    };
    if (r.chance(0.5)) {
      span(0, 3, 'embeddings text-embedding-3-small', r.int(20_000, 90_000), [
        sv('gen_ai.operation.name', 'embeddings'),
        sv('gen_ai.provider.name', 'openai'),
        sv('gen_ai.request.model', 'text-embedding-3-small'),
        iv('gen_ai.usage.input_tokens', r.int(5, 80)),
      ]);
      const kb = day < 40 ? 'kb-2025-12' : 'kb-2026-02';
      span(
        1,
        3,
        `retrieval ${kb}`,
        r.int(30_000, 400_000),
        [sv('gen_ai.operation.name', 'retrieval'), sv('gen_ai.data_source.id', kb), dv('gen_ai.request.top_k', 5), sv('db.system.name', 'qdrant')],
        rootId,
        r.chance(0.01) ? ['ConnectionError', 'vector store unreachable'] : undefined,
      );
    }
    chat();
    const tools = r.chance(0.45) ? (r.chance(0.25) ? 2 : 1) : 0;
    for (let i = 0; i < tools; i++) {
      const tool = r.pick(TOOLS);
      span(
        1,
        1,
        `execute_tool ${tool}`,
        r.int(50_000, 3_000_000),
        [sv('gen_ai.operation.name', 'execute_tool'), sv('gen_ai.tool.name', tool), sv('gen_ai.tool.call.id', `call_${r.hex(24)}`), sv('gen_ai.tool.type', 'function')],
        rootId,
        r.chance(0.06) ? r.pick(TOOL_ERRORS) : undefined,
      );
      chat();
    }
    if (r.chance(0.05)) {
      // A sub-agent: a nested invoke_agent (part of the root's task, skipped) with its own chat.
      const from = t;
      const sub = span(1, 1, 'invoke_agent billing-agent', 0, [sv('gen_ai.operation.name', 'invoke_agent'), sv('gen_ai.agent.name', 'billing-agent'), sv('gen_ai.agent.id', 'asst_billing')]);
      spans.pop();
      t = from + 1_000;
      chat(sub.spanId);
      sub.endTimeUnixNano = ns(t);
      spans.push({ instance: c.instance, scope: 1, span: sub });
    }
    // The root, exported last: it ends after its children.
    const start = c.at;
    const end = t;
    t = start;
    const failed = r.chance(0.02);
    const root = span(
      1,
      1,
      'invoke_agent support-agent',
      end - start,
      [
        sv('gen_ai.operation.name', 'invoke_agent'),
        sv('gen_ai.agent.name', 'support-agent'),
        sv('gen_ai.agent.id', 'asst_support'),
        sv('gen_ai.provider.name', 'openai'),
        sv('gen_ai.request.model', requestModel),
        sv('gen_ai.conversation.id', c.id),
        ...(c.user ? [sv('user.id', c.user)] : []),
      ],
      undefined,
      failed ? ['AgentError', 'agent gave up after 3 failed steps'] : undefined,
    );
    root.spanId = rootId;
    delete root.parentSpanId;
    c.at = end + r.int(5_000_000, 180_000_000);
    c.turns--;
    return spans;
  };

  const pool: Conversation[] = Array.from({ length: PARAMS.concurrent }, newConversation);
  while (written + pending.length < PARAMS.spans) {
    const i = r.int(0, pool.length - 1);
    pending.push(...turn(pool[i]));
    if (pool[i].turns === 0) pool[i] = newConversation();
    while (pending.length >= batch && written + batch <= PARAMS.spans) {
      await writeRequest(batch);
      batch = r.int(PARAMS.requestSpans[0], PARAMS.requestSpans[1]);
    }
  }
  // The file ends at exactly PARAMS.spans spans (the export was cut there, as a rotated file is).
  while (written < PARAMS.spans) await writeRequest(Math.min(batch, PARAMS.spans - written, pending.length));
  await flush();
  out.end();
  await once(out, 'finish');
  fs.renameSync(tmp, file);
  return { spans: written, requests, traces, bytes: fs.statSync(file).size, seconds: (performance.now() - t0) / 1000 };
}

/** The canonical events of the OTLP file, as the OTel adapter maps them, written as NDJSON (quarantined spans left out). */
async function writeCanonical(from: string, file: string): Promise<NonNullable<Marker['canonical']>> {
  const t0 = performance.now();
  const tmp = `${file}.tmp`;
  const out = fs.createWriteStream(tmp);
  let buffer: string[] = [];
  let size = 0;
  let events = 0;
  let quarantined = 0;
  let conversations = 0;
  const reader = adapterReader('otel', from);
  for await (const record of reader.records()) {
    if (record.error) {
      quarantined++;
      continue;
    }
    const line = JSON.stringify(record.values);
    buffer.push(line);
    size += line.length;
    events++;
    if (record.values!.type === 'conversation_started') conversations++;
    if (size > 1 << 22) {
      if (!out.write(`${buffer.join('\n')}\n`)) await once(out, 'drain');
      buffer = [];
      size = 0;
    }
  }
  if (buffer.length) out.write(`${buffer.join('\n')}\n`);
  out.end();
  await once(out, 'finish');
  fs.renameSync(tmp, file);
  return { events, conversations, quarantined, source: describeStats('otel', reader.sourceStats), bytes: fs.statSync(file).size, seconds: (performance.now() - t0) / 1000 };
}

async function ensureData(): Promise<Required<Marker>> {
  let marker: Marker = { params: PARAMS };
  try {
    const found = JSON.parse(fs.readFileSync(MARKER_FILE, 'utf8')) as Marker;
    if (JSON.stringify(found.params) === JSON.stringify(PARAMS)) marker = found;
  } catch {}
  const save = () => {
    fs.writeFileSync(`${MARKER_FILE}.tmp`, JSON.stringify(marker, null, 2));
    fs.renameSync(`${MARKER_FILE}.tmp`, MARKER_FILE);
  };
  if (!marker.otel || !fs.existsSync(OTEL_FILE)) {
    fs.rmSync(DIR, { recursive: true, force: true });
    fs.mkdirSync(DIR, { recursive: true });
    marker = { params: PARAMS };
    console.log(`generating an OTLP/JSON export of ${PARAMS.spans} spans (seed ${PARAMS.seed}) into ${path.relative(process.cwd(), OTEL_FILE)}…`);
    marker.otel = await generateOtel(OTEL_FILE);
    save();
  }
  if (!marker.canonical || !fs.existsSync(CANONICAL_FILE)) {
    console.log(`mapping it once through the OTel adapter into canonical NDJSON ${path.relative(process.cwd(), CANONICAL_FILE)}…`);
    marker.canonical = await writeCanonical(OTEL_FILE, CANONICAL_FILE);
    save();
  }
  return marker as Required<Marker>;
}

// ---------------------------------------------------------------------------------------------------------------
// The benchmark

const marker = await ensureData();
const { otel, canonical } = marker;
console.log(
  `bench:adapters — OTLP/JSON ${otel.spans} spans (${otel.requests} requests, ${otel.traces} traces, ${mb(otel.bytes).toFixed(0)} MB); ` +
    `canonical NDJSON ${canonical.events} events of ${canonical.conversations} conversations (${mb(canonical.bytes).toFixed(0)} MB); ${machineNote()}`,
);
console.log(`  the mapping: ${canonical.source}`);

const profile = process.env.BENCH_CPU_PROF;
const profileEnv = (which: string): Record<string, string> => {
  if (!profile || (profile !== 'all' && which !== 'otel')) return {};
  const dir = path.join(PROFILE_DIR, which);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --cpu-prof --cpu-prof-dir=${dir}`.trim() };
};

// `BENCH_REPEAT=n`: n rounds (canonical then OpenTelemetry in each), each figure the median of its rounds, for a
// busy machine; the note then gives the range of the times.
const repeat = Math.max(1, Math.floor(Number(process.env.BENCH_REPEAT ?? 1)) || 1);
const tmp = tempDir('adapters');
const rounds: Record<'canonical' | 'otel', PartResult[]> = { canonical: [], otel: [] };
try {
  for (let round = 1; round <= repeat; round++)
    for (const [which, label, file] of [
      ['canonical', 'snapshot() canonical NDJSON (reference)', CANONICAL_FILE],
      ['otel', 'snapshot() OpenTelemetry OTLP/JSON', OTEL_FILE],
    ] as const) {
      const out = path.join(tmp, which);
      rounds[which].push(await runPart(repeat > 1 ? `${label}, round ${round}/${repeat}` : label, 'snapshotFrom', { inputs: [file], out, from: which }, profileEnv(which)));
      fs.rmSync(out, { recursive: true, force: true });
    }
} finally {
  removeDir(tmp);
}
const median = (xs: number[]) => xs.toSorted((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
/** The round of median time (its phases and data), with the median peak RSS. */
const summarise = (rs: PartResult[]): PartResult => {
  const byTime = rs.toSorted((a, b) => a.seconds - b.seconds);
  const mid = byTime[Math.floor((rs.length - 1) / 2)];
  return { ...mid, label: mid.label.replace(/, round \d+\/\d+$/, ''), rssMb: median(rs.map((r) => r.rssMb)) };
};
const range = (rs: PartResult[]) => (rs.length > 1 ? `; ${rs.length} rounds, ${Math.min(...rs.map((r) => r.seconds)).toFixed(1)}–${Math.max(...rs.map((r) => r.seconds)).toFixed(1)} s` : '');
const results = { canonical: summarise(rounds.canonical), otel: summarise(rounds.otel) };

const ref = results.canonical;
const run = results.otel;
const events = canonical.events;
const ratio = run.seconds / ref.seconds;
const phases = (r: PartResult) =>
  `hash ${r.data.phases.hash.toFixed(1)} s, read ${r.data.phases.read.toFixed(1)} s (RSS ≤${r.data.phases.readRssMb.toFixed(0)} MB), merge+write ${r.data.phases.merge.toFixed(1)} s`;
const rows: Row[] = [
  {
    label: ref.label,
    seconds: ref.seconds,
    rssMb: ref.rssMb,
    ratio: 1,
    note: `${Math.round(events / ref.seconds)} events/s; ${phases(ref)}${range(rounds.canonical)}`,
  },
  {
    label: run.label,
    seconds: run.seconds,
    rssMb: run.rssMb,
    ratio,
    target: `≤${RATIO_TARGET}×`,
    met: ratio <= RATIO_TARGET,
    note: `${Math.round(events / run.seconds)} events/s, ${Math.round(otel.spans / run.seconds)} spans/s; ${phases(run)}${range(rounds.otel)}`,
  },
];
printTable(`bench:adapters (MB = 2^20 bytes; peak RSS of the part's process${repeat > 1 ? `; medians of ${repeat} rounds` : ''})${profile ? ' — CPU profiling on: times inflated, not the benchmark' : ''}`, rows);

// Both runs must have snapshotted the same events.
const all = [...rounds.canonical, ...rounds.otel];
const sameKept = all.every((r) => r.data.kept === ref.data.kept);
const monthsOf = (r: PartResult) => JSON.stringify(r.data.months);
const sameFiles = all.every((r) => monthsOf(r) === monthsOf(ref));
console.log(`\nkept events: canonical ${ref.data.kept}, OpenTelemetry ${run.data.kept} (${sameKept ? 'the same' : 'DIFFERENT'}); read ${ref.data.read} / ${run.data.read}, duplicates ${ref.data.duplicates} / ${run.data.duplicates}, quarantined ${ref.data.quarantined} / ${run.data.quarantined}`);
console.log(`month files (events and conversations Parquet, by content hash): ${sameFiles ? `identical in all ${Object.keys(run.data.months).length} months` : 'DIFFERENT'}`);
for (const line of run.data.sources) console.log(`  ${line}`);

if (profile) {
  for (const which of ['canonical', 'otel'] as const) {
    const dir = path.join(PROFILE_DIR, which);
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
      const p = summariseCpuProfile(path.join(dir, file));
      const pct = (s: number) => `${((100 * s) / p.seconds).toFixed(1).padStart(5)}%`;
      console.log(`\nCPU profile of the ${which} child (${path.relative(process.cwd(), path.join(dir, file))}; main thread ${p.seconds.toFixed(1)} s, whole process incl. start-up):`);
      console.log('  by file (self, total):');
      for (const e of p.files.slice(0, 12)) console.log(`    ${e.self.toFixed(1).padStart(6)} s ${pct(e.self)}  ${e.total.toFixed(1).padStart(6)} s  ${e.name}`);
      console.log('  by function (self, total):');
      for (const e of p.functions.slice(0, 25)) console.log(`    ${e.self.toFixed(1).padStart(6)} s ${pct(e.self)}  ${e.total.toFixed(1).padStart(6)} s  ${e.name}`);
    }
  }
}

console.log(
  `\nsummary: OpenTelemetry import ${run.seconds.toFixed(1)} s (${Math.round(events / run.seconds)} events/s, ${run.rssMb.toFixed(0)} MB) vs canonical NDJSON ${ref.seconds.toFixed(1)} s ` +
    `(${Math.round(events / ref.seconds)} events/s, ${ref.rssMb.toFixed(0)} MB): ${ratio.toFixed(2)}× (target ≤${RATIO_TARGET}×) ${ratio <= RATIO_TARGET ? 'met' : 'NOT met'}; ` +
    `${run.data.kept} events kept by both${sameKept && sameFiles ? '' : ' — MISMATCH'}`,
);
