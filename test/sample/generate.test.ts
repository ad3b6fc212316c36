import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES, validateEvent } from '../../src/data/schema.ts';
import {
  DEFECT_PLAN,
  MODEL_VERSIONS,
  SAMPLE_DUPLICATES,
  SAMPLE_QUARANTINED,
  SAMPLE_STORIES,
  STORY_DATES,
  generateSample,
  sampleFileName,
  writeSample,
} from '../../src/sample/generate.ts';

const CONVERSATIONS = 3000;
const lines = [...generateSample({ conversations: CONVERSATIONS })];

interface Event {
  event_id: string;
  ts: string;
  conversation_id?: string;
  type: string;
  [field: string]: unknown;
}

interface Conversation {
  id: string;
  start: number;
  dims: Event;
  events: Event[];
}

// The rows the snapshot would keep: valid by the schema, first of each event_id.
const invalid: { line: string; reason: string }[] = [];
const firstLine = new Map<string, string>();
const repeated: { line: string; first: string }[] = [];
const kept: Event[] = [];
for (const line of lines) {
  const candidate = JSON.parse(line) as Record<string, unknown>;
  const result = validateEvent({ ...candidate });
  if (!result.ok) {
    invalid.push({ line, reason: result.reason });
    continue;
  }
  const id = candidate.event_id as string;
  const first = firstLine.get(id);
  if (first !== undefined) {
    repeated.push({ line, first });
    continue;
  }
  firstLine.set(id, line);
  kept.push(candidate as Event);
}

const conversations = new Map<string, Conversation>();
const healthChecks: Event[] = [];
for (const event of kept) {
  if (event.type === 'health_check') {
    healthChecks.push(event);
    continue;
  }
  const id = event.conversation_id!;
  let c = conversations.get(id);
  if (!c) conversations.set(id, (c = { id, start: Infinity, dims: event, events: [] }));
  c.events.push(event);
  c.start = Math.min(c.start, Date.parse(event.ts));
  if (event.type === 'conversation_started') c.dims = event;
}
for (const c of conversations.values()) c.events.sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));

const at = (date: string) => Date.parse(`${date}T00:00:00Z`);
const startedIn = (from: string, to: string, filter: (c: Conversation) => boolean = () => true) =>
  [...conversations.values()].filter((c) => c.start >= at(from) && c.start < at(to) && filter(c));
const botMessages = (list: Conversation[]) => list.flatMap((c) => c.events.filter((e) => e.type === 'bot_message'));
const fallbackRate = (list: Conversation[]) => {
  const answers = botMessages(list);
  return answers.filter((e) => e.fallback === true).length / answers.length;
};
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * p;
  const lo = Math.floor(rank);
  return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (rank - lo);
};
const p95 = (list: Conversation[]) => percentile(botMessages(list).map((e) => e.latency_ms as number), 0.95);
const share = (list: Conversation[], test: (c: Conversation) => boolean) => list.filter(test).length / list.length;
const hasType = (type: string) => (c: Conversation) => c.events.some((e) => e.type === type);
const satisfaction = (list: Conversation[]) => {
  const rated = list.map((c) => c.events.filter((e) => e.type === 'feedback').at(-1)).filter((e) => e !== undefined);
  return rated.filter((e) => (e.score as number) / (e.scale_max as number) >= 0.8).length / rated.length;
};
const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;

describe('generateSample', () => {
  it('is deterministic: the same seed gives identical lines, another seed other lines', () => {
    const again = [...generateSample({ conversations: CONVERSATIONS })];
    expect(again).toEqual(lines);
    const other = [...generateSample({ conversations: CONVERSATIONS, seed: 7 })];
    expect(other).not.toEqual(lines);
    expect(other.length).toBeGreaterThan(CONVERSATIONS * 5);
  });

  it('has exactly the requested number of conversations, with RFC 3339 UTC timestamps to the millisecond', () => {
    expect(conversations.size).toBe(CONVERSATIONS);
    for (const c of conversations.values()) expect(c.dims.type).toBe('conversation_started');
    for (const event of kept) expect(event.ts).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const first = Math.min(...kept.map((e) => Date.parse(e.ts)));
    const last = Math.max(...kept.map((e) => Date.parse(e.ts)));
    expect(first).toBe(at('2025-12-01'));
    expect(last).toBeLessThan(at('2026-12-01'));
  });

  it('passes the schema except for the deliberately malformed rows', () => {
    const conflicts = DEFECT_PLAN.find((d) => d.kind === 'conflicting_duplicate')!.count;
    expect(invalid).toHaveLength(SAMPLE_QUARANTINED - conflicts);
    const reasons = invalid.map((i) => i.reason).join('\n');
    expect(reasons).toContain('ts: no timezone offset');
    expect(reasons).toContain('type: unknown value "fallbak"');
    expect(reasons).toContain('latency_ms: must be ≥ 0');
    expect(reasons).toContain('success: expected true or false');
    expect(reasons).toContain('score: must be between 0 and scale_max');
    expect(reasons).toContain('conversation_id: missing');
    // Repeated event_ids: exact copies (dropped as duplicates) and conflicts (quarantined).
    expect(repeated.filter((r) => r.line === r.first)).toHaveLength(SAMPLE_DUPLICATES);
    expect(repeated.filter((r) => r.line !== r.first)).toHaveLength(conflicts);
    expect(SAMPLE_QUARANTINED + SAMPLE_DUPLICATES).toBeGreaterThanOrEqual(10);
  });

  it('keeps message text short and free of personal data', () => {
    const texts = kept.filter((e) => e.text !== undefined).map((e) => e.text as string);
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) {
      expect(text.length).toBeLessThanOrEqual(60);
      expect(text).not.toMatch(/@|\d{4,}/);
    }
  });

  it('uses every event type, tool, goal and both feedback scales', () => {
    expect(new Set(kept.map((e) => e.type))).toEqual(new Set(EVENT_TYPES));
    const names = (type: string) => new Set(kept.filter((e) => e.type === type).map((e) => e.name));
    expect(names('tool_call')).toEqual(new Set(['crm_lookup', 'payment_check', 'booking', 'auth']));
    expect(names('goal')).toEqual(new Set(['ticket_deflected', 'lead_captured', 'demo_booked']));
    for (const task of ['order_lookup', 'password_reset', 'appointment']) expect(names('task')).toContain(task);
    for (const integration of ['crm', 'payments', 'llm_gateway']) expect(names('error')).toContain(integration);
    const scales = new Set(kept.filter((e) => e.type === 'feedback').map((e) => e.scale_max));
    expect(scales).toEqual(new Set([1, 5]));
    expect(kept.filter((e) => e.type === 'review').length).toBeGreaterThan(10);
  });

  it('has a health check every six hours, outside any conversation, and a failed one during the outage', () => {
    expect(healthChecks).toHaveLength(365 * 4);
    for (const h of healthChecks) expect(h.conversation_id).toBeUndefined();
    const failed = healthChecks.filter((h) => h.success === false).map((h) => h.ts.slice(0, 10));
    expect(failed).toContain(STORY_DATES.gatewayIncident);
  });

  it('has the dimensions of a real deployment: channels, languages, returning and anonymous users', () => {
    const all = [...conversations.values()];
    expect(new Set(all.map((c) => c.dims.channel))).toEqual(new Set(['web', 'app', 'helpdesk', 'voice', 'whatsapp']));
    expect(new Set(all.map((c) => c.dims.intent))).toEqual(
      new Set(['billing', 'order_status', 'returns', 'password_reset', 'product_info', 'book_demo', 'other']),
    );
    expect(new Set(all.map((c) => c.dims.language))).toEqual(new Set(['en', 'de', 'fr', 'es']));
    expect(new Set(all.map((c) => c.dims.user_type))).toEqual(new Set(['anonymous', 'authenticated']));
    const whatsapp = all.filter((c) => c.dims.channel === 'whatsapp');
    expect(Math.min(...whatsapp.map((c) => c.start))).toBeGreaterThanOrEqual(at(STORY_DATES.whatsappLaunch));
    const anonymous = all.filter((c) => c.dims.user_id === undefined);
    expect(anonymous.length / all.length).toBeGreaterThan(0.1);
    const perUser = new Map<unknown, number>();
    for (const c of all) if (c.dims.user_id !== undefined) perUser.set(c.dims.user_id, (perUser.get(c.dims.user_id) ?? 0) + 1);
    expect([...perUser.values()].filter((n) => n > 1).length).toBeGreaterThan(100);
    for (const c of all) {
      expect(c.dims.model_version).toBe(c.start < at(STORY_DATES.modelChange) ? MODEL_VERSIONS.before : MODEL_VERSIONS.after);
      for (const key of ['entry_point', 'device', 'kb_version', 'prompt_version']) expect(c.dims[key]).toBeTypeOf('string');
    }
  });

  it('grows gently, with quieter weekends', () => {
    const first = startedIn('2025-12-01', '2026-03-01').length;
    const last = startedIn('2026-09-01', '2026-12-01').length;
    expect(last / first).toBeGreaterThan(1.2);
    expect(last / first).toBeLessThan(1.8);
    const all = [...conversations.values()];
    const weekend = share(all, (c) => [0, 6].includes(new Date(c.start).getUTCDay()));
    expect(weekend).toBeLessThan(2 / 7 - 0.05);
  });

  it('tells story 1: the model change raises the fallback rate of the billing intent only', () => {
    const billing = (c: Conversation) => c.dims.intent === 'billing';
    const others = (c: Conversation) => c.dims.intent !== 'billing';
    const before = startedIn('2025-12-01', STORY_DATES.modelChange, billing);
    const after = startedIn(STORY_DATES.modelChange, '2026-06-01', billing);
    expect(fallbackRate(after) - fallbackRate(before)).toBeGreaterThan(0.12);
    const othersBefore = fallbackRate(startedIn('2025-12-01', STORY_DATES.modelChange, others));
    const othersAfter = fallbackRate(startedIn(STORY_DATES.modelChange, '2026-06-01', others));
    expect(Math.abs(othersAfter - othersBefore)).toBeLessThan(0.03);
  });

  it('tells story 2: a latency regression for some weeks, then a fix', () => {
    const before = p95(startedIn('2026-03-15', STORY_DATES.latencyRegression));
    const during = p95(startedIn(STORY_DATES.latencyRegression, STORY_DATES.latencyFix));
    const after = p95(startedIn(STORY_DATES.latencyFix, STORY_DATES.routingChange));
    expect(during / before).toBeGreaterThan(1.8);
    expect(after / before).toBeLessThan(1.2);
  });

  it('tells story 3: containment rises while abandonment rises and satisfaction falls', () => {
    const before = startedIn('2025-12-01', STORY_DATES.routingChange);
    const after = startedIn(STORY_DATES.routingChange, '2026-12-01');
    const contained = (c: Conversation) => !hasType('handoff')(c);
    const abandoned = (c: Conversation) => !hasType('handoff')(c) && !hasType('resolved')(c);
    expect(share(after, contained) - share(before, contained)).toBeGreaterThan(0.07);
    expect(share(after, abandoned) - share(before, abandoned)).toBeGreaterThan(0.05);
    expect(satisfaction(before) - satisfaction(after)).toBeGreaterThan(0.04);
  });

  it('tells story 4: the verbose prompt raises tokens and cost per answer', () => {
    const before = botMessages(startedIn(STORY_DATES.routingChange, STORY_DATES.verbosePrompt));
    const after = botMessages(startedIn(STORY_DATES.verbosePrompt, '2026-12-01'));
    const tokensOut = (list: Event[]) => mean(list.map((e) => e.tokens_out as number));
    const cost = (list: Event[]) => mean(list.map((e) => e.cost_usd as number));
    expect(tokensOut(after) / tokensOut(before)).toBeGreaterThan(1.8);
    expect(cost(after) / cost(before)).toBeGreaterThan(1.3);
  });

  it('describes every story with a date inside the default window', () => {
    for (const story of SAMPLE_STORIES) {
      expect(story.date >= '2025-12-01' && story.date < '2026-12-01').toBe(true);
      expect(Object.values(STORY_DATES)).toContain(story.date);
    }
  });

  it('rejects impossible options', () => {
    expect(() => generateSample({ months: 0 }).next()).toThrow(/months/);
    expect(() => generateSample({ start: '2026-13' }).next()).toThrow(/start/);
    expect(() => generateSample({ conversations: 1.5 }).next()).toThrow(/conversations/);
  });
});

describe('writeSample', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-review-sample-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes one NDJSON file per month holding exactly the generated lines', async () => {
    const options = { conversations: 400, months: 3, start: '2026-01', seed: 3 };
    const result = await writeSample(dir, options);
    expect(result.conversations).toBe(400);
    expect(result.files).toEqual(['2026-01', '2026-02', '2026-03'].map((m) => path.join(dir, sampleFileName(m))));
    expect(fs.readdirSync(dir).sort()).toEqual(['events-2026-01.ndjson', 'events-2026-02.ndjson', 'events-2026-03.ndjson']);
    const written = result.files.flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').filter((l) => l !== ''));
    expect(written).toEqual([...generateSample(options)]);
    expect(result.events).toBe(written.length);
    for (const [i, file] of result.files.entries()) {
      const months = new Set(
        fs
          .readFileSync(file, 'utf8')
          .split('\n')
          .filter((l) => l.includes('"conversation_started"'))
          .map((l) => (JSON.parse(l) as Event).ts.slice(0, 7)),
      );
      expect([...months]).toEqual([['2026-01', '2026-02', '2026-03'][i]]);
    }
  });
});
