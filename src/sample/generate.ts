/**
 * The bundled sample export (`kpi-review sample`): a year of canonical events of a support-and-sales chatbot,
 * with the stories of stories.ts visible in the monthly figures and a few deliberately bad rows for the
 * quarantine. Pure and deterministic: the same options give byte-identical lines (a seeded PRNG; never
 * Math.random, never the clock).
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { LineWriter } from '../fs/lineWriter.ts';
import { simulateConversation, type Channel, type Dimensions, type Era, type Intent, type SampleEvent } from './conversation.ts';
import { createRandom, hex32, mix32, type Random, type Weighted } from './random.ts';
import {
  GATEWAY_INCIDENT,
  KB_VERSIONS,
  MODEL_VERSIONS,
  PROMPT_VERSIONS,
  SAMPLE_CONVERSATIONS,
  SAMPLE_MONTHS,
  SAMPLE_SEED,
  SAMPLE_START,
  SLOW_KB_VERSION,
  STORY_DATES,
} from './stories.ts';

export * from './stories.ts';

export interface SampleOptions {
  /** First month, `YYYY-MM` (default 2025-12). The stories happen on fixed dates, whatever the window. */
  start?: string;
  /** Number of calendar months (default 12). */
  months?: number;
  /** Number of conversations over the whole window (default 50,000); exactly this many are generated. */
  conversations?: number;
  seed?: number;
}

/** One NDJSON line and the month (`YYYY-MM`) of the file it belongs to: the month its conversation started. */
export interface SampleRow {
  month: string;
  line: string;
}

export interface WriteSampleResult {
  /** The files written, in order (paths joined to `dir`). */
  files: string[];
  /** Rows written, bad and duplicate rows included. */
  events: number;
  conversations: number;
}

/**
 * The deliberately bad rows, spread over the year. All but the exact duplicates end in the quarantine (the
 * conflicting duplicates pass the schema but reuse an event_id with other content); exact duplicates are
 * dropped as duplicates.
 */
export const DEFECT_PLAN = [
  { kind: 'ts_without_offset', count: 3, outcome: 'quarantined' },
  { kind: 'unknown_type', count: 3, outcome: 'quarantined' },
  { kind: 'negative_latency', count: 3, outcome: 'quarantined' },
  { kind: 'conflicting_duplicate', count: 3, outcome: 'quarantined' },
  { kind: 'string_boolean', count: 1, outcome: 'quarantined' },
  { kind: 'score_out_of_range', count: 1, outcome: 'quarantined' },
  { kind: 'missing_conversation_id', count: 1, outcome: 'quarantined' },
  { kind: 'exact_duplicate', count: 10, outcome: 'duplicate' },
] as const;
export type DefectKind = (typeof DEFECT_PLAN)[number]['kind'];

/** Rows the snapshot must quarantine and drop as duplicates, for any options with at least one conversation. */
export const SAMPLE_QUARANTINED = DEFECT_PLAN.filter((d) => d.outcome === 'quarantined').reduce((s, d) => s + d.count, 0);
export const SAMPLE_DUPLICATES = DEFECT_PLAN.filter((d) => d.outcome === 'duplicate').reduce((s, d) => s + d.count, 0);

export function sampleFileName(month: string): string {
  return `events-${month}.ndjson`;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const dayMs = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** Weekday factors, Sunday first: busy Mondays, quiet weekends. */
const WEEKDAY = [0.62, 1.15, 1.12, 1.06, 1.02, 0.95, 0.68];
/** Conversation starts by UTC hour. */
const HOURS: Weighted<number> = [
  0.3, 0.2, 0.15, 0.12, 0.12, 0.2, 0.4, 0.8, 1.3, 1.7, 1.9, 1.9, 1.8, 1.8, 1.7, 1.6, 1.5, 1.4, 1.3, 1.3, 1.2, 1.0, 0.7, 0.45,
].map((w, h) => [h, w] as const);
const LAST_DAY_HOURS = HOURS.slice(0, 22);
/** Quiet holidays (MM-DD). */
const HOLIDAYS: Record<string, number> = { '12-24': 0.55, '12-25': 0.45, '12-26': 0.6, '12-31': 0.6, '01-01': 0.5 };
/** Year-over-window growth of daily volume. */
const GROWTH = 0.35;
/** WhatsApp's extra volume, as a share of the rest once fully ramped up (four weeks after launch). */
const WHATSAPP_BOOST = 0.14;

const CHANNELS: Weighted<Channel> = [['web', 0.44], ['app', 0.27], ['helpdesk', 0.15], ['voice', 0.14]];
const INTENTS: Record<Channel, Weighted<Intent>> = {
  web: [['billing', 0.16], ['order_status', 0.22], ['returns', 0.12], ['password_reset', 0.1], ['product_info', 0.19], ['book_demo', 0.09], ['other', 0.12]],
  app: [['billing', 0.15], ['order_status', 0.32], ['returns', 0.15], ['password_reset', 0.1], ['product_info', 0.12], ['book_demo', 0.03], ['other', 0.13]],
  helpdesk: [['billing', 0.15], ['order_status', 0.1], ['returns', 0.05], ['password_reset', 0.35], ['product_info', 0.1], ['book_demo', 0.05], ['other', 0.2]],
  voice: [['billing', 0.2], ['order_status', 0.3], ['returns', 0.15], ['password_reset', 0.1], ['product_info', 0.08], ['book_demo', 0.02], ['other', 0.15]],
  whatsapp: [['billing', 0.12], ['order_status', 0.3], ['returns', 0.15], ['password_reset', 0.05], ['product_info', 0.18], ['book_demo', 0.05], ['other', 0.15]],
};
const WEB_ENTRY: Record<Intent, string> = {
  billing: 'account_billing',
  order_status: 'order_tracking',
  returns: 'returns_page',
  password_reset: 'login_page',
  product_info: 'product_page',
  book_demo: 'pricing_page',
  other: 'help_center',
};
const DEVICES: Record<Channel, Weighted<string>> = {
  web: [['desktop', 0.55], ['mobile', 0.38], ['tablet', 0.07]],
  app: [['mobile', 0.9], ['tablet', 0.1]],
  helpdesk: [['desktop', 1]],
  voice: [['voice', 1]],
  whatsapp: [['mobile', 1]],
};
const LANGUAGES: Weighted<string> = [['en', 0.55], ['de', 0.2], ['fr', 0.13], ['es', 0.12]];
/** P(a conversation on the channel is by a signed-in user). */
const AUTHENTICATED: Record<Channel, number> = { web: 0.45, app: 0.88, helpdesk: 1, voice: 0.35, whatsapp: 0.85 };

function entryPoint(random: Random, channel: Channel, intent: Intent): string {
  switch (channel) {
    case 'web':
      return random.chance(0.3) ? 'home_widget' : WEB_ENTRY[intent];
    case 'app':
      if ((intent === 'order_status' || intent === 'returns') && random.chance(0.45)) return 'order_detail';
      return random.chance(0.06) ? 'push_notification' : 'app_help_menu';
    case 'helpdesk':
      return random.chance(0.35) ? 'ticket_form' : 'portal_home';
    case 'voice':
      return 'ivr_main_menu';
    case 'whatsapp':
      return random.chance(0.7) ? 'click_to_chat' : 'qr_code';
  }
}

interface User {
  id: string;
  language: string;
}

/** Signed-in users and anonymous visitors (cookie ids); both come back. */
class Users {
  private readonly random: Random;
  private readonly salt: number;
  private readonly members: User[] = [];
  private readonly visitors: User[] = [];
  constructor(random: Random, seed: number) {
    this.random = random;
    this.salt = mix32(seed ^ 0x5bd1e995);
  }
  private fresh(prefix: string, pool: User[]): User {
    const index = this.members.length + this.visitors.length;
    const user = { id: `${prefix}-${hex32((index ^ this.salt) >>> 0)}`, language: this.random.weighted(LANGUAGES) };
    pool.push(user);
    return user;
  }
  private from(pool: User[], returnP: number, prefix: string): User {
    return pool.length >= 10 && this.random.chance(returnP) ? this.random.pick(pool) : this.fresh(prefix, pool);
  }
  pick(channel: Channel): { user?: User; userType: 'anonymous' | 'authenticated' } {
    if (this.random.chance(AUTHENTICATED[channel])) return { user: this.from(this.members, 0.42, 'u'), userType: 'authenticated' };
    const hasCookie = (channel === 'web' || channel === 'app') && this.random.chance(0.5);
    return { user: hasCookie ? this.from(this.visitors, 0.25, 'v') : undefined, userType: 'anonymous' };
  }
}

function versionAt(schedule: readonly { from: string; version: string }[], ts: number): string {
  let version = schedule[0].version;
  for (const entry of schedule) if (ts >= dayMs(entry.from)) version = entry.version;
  return version;
}

const iso = (ms: number) => new Date(ms).toISOString();
const serialize = (event: SampleEvent) => JSON.stringify({ ...event, ts: iso(event.ts) });

interface Window {
  start: number;
  end: number;
  months: number;
  conversations: number;
  seed: number;
}

function resolveOptions(options: SampleOptions): Window {
  const start = options.start ?? SAMPLE_START;
  const months = options.months ?? SAMPLE_MONTHS;
  const conversations = options.conversations ?? SAMPLE_CONVERSATIONS;
  const seed = options.seed ?? SAMPLE_SEED;
  const m = /^(\d{4})-(\d{2})$/.exec(start);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new UserError(`start ${JSON.stringify(start)}: expected a month as YYYY-MM`);
  if (!Number.isInteger(months) || months < 1 || months > 120) throw new UserError(`months ${months}: expected a whole number from 1 to 120`);
  if (!Number.isInteger(conversations) || conversations < 1 || conversations > 10_000_000)
    throw new UserError(`conversations ${conversations}: expected a whole number from 1 to 10000000`);
  if (!Number.isInteger(seed)) throw new UserError(`seed ${seed}: expected a whole number`);
  const year = Number(m[1]);
  const month = Number(m[2]) - 1;
  return { start: Date.UTC(year, month, 1), end: Date.UTC(year, month + months, 1), months, conversations, seed: seed >>> 0 };
}

/** How many conversations start on each day: weekly rhythm, holidays, gentle growth, WhatsApp's extra volume. */
function dailyPlan(window: Window): { counts: number[]; whatsappShare: number[] } {
  const days = Math.round((window.end - window.start) / DAY);
  const launch = dayMs(STORY_DATES.whatsappLaunch);
  const weights: number[] = [];
  const whatsappShare: number[] = [];
  for (let d = 0; d < days; d++) {
    const ts = window.start + d * DAY;
    const date = new Date(ts);
    const growth = 1 + (GROWTH * d) / Math.max(1, days - 1);
    const holiday = HOLIDAYS[iso(ts).slice(5, 10)] ?? 1;
    const boost = ts >= launch ? WHATSAPP_BOOST * Math.min(1, 0.15 + (ts - launch) / (28 * DAY)) : 0;
    weights.push(growth * WEEKDAY[date.getUTCDay()] * holiday * (1 + boost));
    whatsappShare.push(boost / (1 + boost));
  }
  const total = weights.reduce((s, w) => s + w, 0);
  const counts: number[] = [];
  let cumulative = 0;
  let allocated = 0;
  for (const w of weights) {
    cumulative += (w / total) * window.conversations;
    const upTo = Math.round(cumulative);
    counts.push(upTo - allocated);
    allocated = upTo;
  }
  counts[counts.length - 1] += window.conversations - allocated;
  return { counts, whatsappShare };
}

/** Which conversation (by global index) carries which defect: each kind spread evenly over the window. */
function defectPlan(conversations: number): Map<number, DefectKind[]> {
  const slots: { key: number; kind: DefectKind }[] = [];
  DEFECT_PLAN.forEach((d, k) => {
    for (let j = 0; j < d.count; j++) slots.push({ key: (j + 0.5) / d.count + k * 1e-3, kind: d.kind });
  });
  slots.sort((a, b) => a.key - b.key);
  const plan = new Map<number, DefectKind[]>();
  slots.forEach((slot, i) => {
    const index = Math.floor(((i + 0.5) * conversations) / slots.length);
    plan.set(index, [...(plan.get(index) ?? []), slot.kind]);
  });
  return plan;
}

interface Entry {
  /** Where the row sorts in the day's batch. */
  ts: number;
  order: number;
  line: string;
}

/** The bad rows of one conversation (entries to add to its day's batch). */
function defectRows(random: Random, kinds: DefectKind[], events: SampleEvent[], entryOf: Map<SampleEvent, Entry>): Entry[] {
  const rows: Entry[] = [];
  const userMessage = events.find((e) => e.type === 'user_message')!;
  const botMessage = events.find((e) => e.type === 'bot_message')!;
  const id = events[0].conversation_id!;
  kinds.forEach((kind, k) => {
    const extraId = `${id}-x${k + 1}`;
    const after = (event: SampleEvent, line: string, delay = 0): Entry => ({ ts: event.ts + delay, order: entryOf.get(event)!.order + 0.5, line });
    switch (kind) {
      case 'ts_without_offset':
        rows.push(after(userMessage, JSON.stringify({ event_id: extraId, ts: iso(userMessage.ts + 1500).slice(0, 19), conversation_id: id, type: 'user_message', correction: true }), 1500));
        break;
      case 'unknown_type':
        rows.push(after(botMessage, JSON.stringify({ event_id: extraId, ts: iso(botMessage.ts + 5), conversation_id: id, type: 'fallbak', fallback: true }), 5));
        break;
      case 'negative_latency':
        rows.push(after(botMessage, serialize({ ...botMessage, event_id: extraId, ts: botMessage.ts + 7, latency_ms: -random.int(50, 900) }), 7));
        break;
      case 'conflicting_duplicate':
        rows.push(after(botMessage, serialize({ ...botMessage, latency_ms: (botMessage.latency_ms as number) + random.int(200, 2000) })));
        break;
      case 'string_boolean':
        rows.push(after(userMessage, JSON.stringify({ event_id: extraId, ts: iso(userMessage.ts + 300), conversation_id: id, type: 'tool_call', latency_ms: 240, name: 'crm_lookup', success: 'true' }), 300));
        break;
      case 'score_out_of_range': {
        const last = events[events.length - 1];
        rows.push(after(last, JSON.stringify({ event_id: extraId, ts: iso(last.ts + 30_000), conversation_id: id, type: 'feedback', score: 7, scale_max: 5 }), 30_000));
        break;
      }
      case 'missing_conversation_id':
        rows.push(after(userMessage, JSON.stringify({ event_id: extraId, ts: iso(userMessage.ts + 900), type: 'user_message', correction: false }), 900));
        break;
      case 'exact_duplicate': {
        // The export re-delivered a row an hour or two later.
        const event = events[random.int(1, events.length - 1)];
        rows.push({ ts: event.ts + random.int(HOUR, 2 * HOUR), order: 0, line: entryOf.get(event)!.line });
        break;
      }
    }
  });
  return rows;
}

/**
 * Every row of the sample in file order, with the month of the file it goes to. Rows of a day are in `ts`
 * order (a conversation that runs past midnight stays with its start day; health checks every six hours).
 */
export function* sampleRows(options: SampleOptions = {}): Generator<SampleRow> {
  const window = resolveOptions(options);
  const random = createRandom(mix32(window.seed ^ 0x9e3779b9));
  const users = new Users(random, window.seed);
  const { counts, whatsappShare } = dailyPlan(window);
  const defects = defectPlan(window.conversations);
  const idSalt = mix32(window.seed);
  const modelChange = dayMs(STORY_DATES.modelChange);
  const routingChange = dayMs(STORY_DATES.routingChange);
  const verbosePrompt = dayMs(STORY_DATES.verbosePrompt);
  const incidentStart = Date.parse(GATEWAY_INCIDENT.start);
  const incidentEnd = Date.parse(GATEWAY_INCIDENT.end);
  const gatewayDown = (ts: number) => ts >= incidentStart && ts < incidentEnd;

  let index = 0;
  for (let d = 0; d < counts.length; d++) {
    const dayStart = window.start + d * DAY;
    const month = iso(dayStart).slice(0, 7);
    const batch: Entry[] = [];
    let order = 0;
    const push = (ts: number, line: string): Entry => {
      const entry = { ts, order: order++, line };
      batch.push(entry);
      return entry;
    };

    for (let h = 0; h < 24; h += 6) {
      const ts = dayStart + h * HOUR;
      const up = !gatewayDown(ts) && random.chance(0.997);
      const stamp = iso(ts).replace(/[-:]|\.\d+/g, '');
      push(ts, JSON.stringify({ event_id: `hc-${stamp}`, ts: iso(ts), type: 'health_check', success: up }));
    }

    const hours = d === counts.length - 1 ? LAST_DAY_HOURS : HOURS;
    const starts: number[] = [];
    for (let k = 0; k < counts[d]; k++) starts.push(dayStart + random.weighted(hours) * HOUR + random.int(0, HOUR - 1));
    starts.sort((a, b) => a - b);

    for (const start of starts) {
      const channel: Channel = random.chance(whatsappShare[d]) ? 'whatsapp' : random.weighted(CHANNELS);
      const { user, userType } = users.pick(channel);
      const intent = random.weighted(INTENTS[channel]);
      const dims: Dimensions = {
        user_id: user?.id,
        channel,
        entry_point: entryPoint(random, channel, intent),
        intent,
        language: user?.language ?? random.weighted(LANGUAGES),
        device: random.weighted(DEVICES[channel]),
        user_type: userType,
        model_version: start >= modelChange ? MODEL_VERSIONS.after : MODEL_VERSIONS.before,
        kb_version: versionAt(KB_VERSIONS, start),
        prompt_version: versionAt(PROMPT_VERSIONS, start),
      };
      const era: Era = {
        newModel: start >= modelChange,
        slowKb: dims.kb_version === SLOW_KB_VERSION,
        strictRouting: start >= routingChange,
        verbose: start >= verbosePrompt,
        gatewayDown,
      };
      const id = `c-${hex32((index + idSalt) >>> 0)}`;
      const events = simulateConversation(random, id, start, dims, era, window.end);
      const entryOf = new Map<SampleEvent, Entry>();
      for (const event of events) entryOf.set(event, push(event.ts, serialize(event)));
      const kinds = defects.get(index);
      if (kinds) batch.push(...defectRows(random, kinds, events, entryOf));
      index += 1;
    }

    batch.sort((a, b) => a.ts - b.ts || a.order - b.order);
    for (const entry of batch) yield { month, line: entry.line };
  }
}

/** The sample as NDJSON lines (without the newline), in file order across all months. */
export function* generateSample(options: SampleOptions = {}): Generator<string> {
  for (const row of sampleRows(options)) yield row.line;
}

/**
 * Writes the sample into `dir`, one NDJSON file per month (`events-YYYY-MM.ndjson`), streaming so that memory
 * stays small. Each file appears complete or not at all; other files in `dir` are left alone.
 */
export async function writeSample(dir: string, options: SampleOptions = {}): Promise<WriteSampleResult> {
  const window = resolveOptions(options);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new UserError(`${dir}: cannot create the folder (${(error as Error).message})`);
  }
  const files: string[] = [];
  let events = 0;
  let current: { month: string; out: LineWriter } | undefined;
  try {
    for (const row of sampleRows(options)) {
      if (current?.month !== row.month) {
        if (current) {
          await current.out.close();
          files.push(current.out.file);
        }
        current = { month: row.month, out: new LineWriter(path.join(dir, sampleFileName(row.month)), { atomic: true }) };
      }
      const wait = current.out.write(row.line);
      if (wait) await wait;
      events += 1;
    }
    if (current) {
      await current.out.close();
      files.push(current.out.file);
    }
  } catch (error) {
    current?.out.abort();
    if (error instanceof UserError) throw error;
    throw new UserError(`${dir}: cannot write the sample (${(error as Error).message})`);
  }
  return { files, events, conversations: window.conversations };
}
