import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { adapterOptions } from '../../src/data/adapters/options.ts';
import { rasaEvents } from '../../src/data/adapters/rasa.ts';
import { byId, cleanup, fixture, gzip, HAS_SAMPLES, ofType, outcomeEvents, read, sample, tmpDir, writeFile } from './helpers.ts';

afterAll(cleanup);

const options = adapterOptions().rasa;
const T = 1772445600; // 2026-03-02T10:00:00Z in epoch seconds, as Rasa writes them
const user = (ts: number, text: string, intent: string | null, extra: object = {}) => ({ event: 'user', timestamp: ts, text, parse_data: { intent: { name: intent, confidence: 0.9 } }, input_channel: 'web', ...extra });
const bot = (ts: number, text: string) => ({ event: 'bot', timestamp: ts, text });
const action = (ts: number, name: string) => ({ event: 'action', timestamp: ts, name });

describe.skipIf(!HAS_SAMPLES)('Rasa samples', () => {
  it.each([
    // file, events read, mapped, events produced, skipped per reason, quarantined
    ['rasa/tracker_moodbot.json', 7, 2, 2, { action_listen: 3, 'utter action': 2 }, 0],
    ['rasa/botfront_conversations_rasa2_trackers.json', 88, 36, 36, { action_listen: 22, session_started: 16, 'utter action': 14 }, 0],
    ['rasa/botfront_analytics_conversations_fallback.json', 13, 13, 13, {}, 0],
  ])('%s converts without an error', async (file, readCount, mapped, events, skipReasons, quarantined) => {
    const r = await read('rasa', sample(file));
    const s = r.reader.sourceStats;
    expect(r.errors).toEqual([]);
    expect(s.units).toEqual({ event: readCount });
    expect([s.read, s.mapped, s.events, s.skip_reasons, s.quarantined]).toEqual([readCount, mapped, events, skipReasons, quarantined]);
    expect(s.read).toBe(s.mapped + s.skipped + s.quarantined);
  });

  it('the moodbot tracker: user messages with their intents; no bot events, so no answers', async () => {
    const { events } = await read('rasa', sample('rasa/tracker_moodbot.json'));
    expect(events).toEqual([
      { event_id: 'mysender:1517821726.200036:user', ts: 1517821726200, conversation_id: 'mysender', user_id: 'mysender', type: 'user_message', intent: 'greet', text: '/greet', correction: false },
      { event_id: 'mysender:1517821726.209836:user', ts: 1517821726209, conversation_id: 'mysender', user_id: 'mysender', type: 'user_message', intent: 'mood_great', text: '/mood_great', correction: false },
    ]);
  });

  it('Botfront conversations: one conversation per tracker (the two session_started of a session start are one), latency from the user message', async () => {
    const { events } = await read('rasa', sample('rasa/botfront_conversations_rasa2_trackers.json'));
    const conversations = new Set(events.map((e) => e.conversation_id));
    expect(conversations.size).toBe(8);
    expect(conversations.has('785b97bc8fef492cb6d6cd808d30b360:1602686342.558211')).toBe(true);
    expect(ofType(events, 'conversation_started')).toHaveLength(8);
    expect(ofType(events, 'user_message')).toHaveLength(14);
    const bots = ofType(events, 'bot_message');
    expect(bots).toHaveLength(14);
    expect(bots[0]).toMatchObject({ text: 'bbb', fallback: false, latency_ms: 99 }); // 342.669145 − 342.570658 s, to the ms
    expect(ofType(events, 'user_message')[0]).toMatchObject({ channel: 'webchat', language: 'fr', intent: 'get_started' });
  });

  it('the analytics fixture: a custom fallback action is a tool call by default, a fallback answer when configured', async () => {
    const plain = await read('rasa', sample('rasa/botfront_analytics_conversations_fallback.json'));
    expect(ofType(plain.events, 'tool_call')).toMatchObject([{ conversation_id: 'senderB', name: 'action_botfront_fallback', success: true }]);
    const configured = await read('rasa', sample('rasa/botfront_analytics_conversations_fallback.json'), { rasa: { fallback_actions: ['action_botfront_fallback'] } });
    expect(ofType(configured.events, 'tool_call')).toEqual([]);
    // No bot event follows it before the next user message: the action is the fallback answer itself.
    expect(ofType(configured.events, 'bot_message')).toEqual([
      { event_id: 'senderB:1573511941.5087583:action:action_botfront_fallback', ts: 1573511941508, conversation_id: 'senderB', user_id: 'senderB', type: 'bot_message', fallback: true },
    ]);
  });
});

describe('Rasa mapping rules', () => {
  it('a fallback intent makes the bot answer of its turn a fallback; a rewind marks the previous user message a correction', () => {
    const outcomes = rasaEvents('s', [user(T, 'blah', 'nlu_fallback'), action(T + 0.2, 'action_default_fallback'), bot(T + 0.3, 'Sorry?'), { event: 'rewind', timestamp: T + 0.31 }, user(T + 5, 'my order', 'order_status'), bot(T + 6, 'Here it is')], options);
    expect(outcomes.map((o) => ('events' in o ? o.events.length : 'skip' in o ? o.skip : o.error))).toEqual([1, 0, 1, 0, 1, 1]);
    expect(outcomeEvents(outcomes).map((e) => [e.type, e.correction, e.fallback, e.latency_ms])).toEqual([
      ['user_message', true, undefined, undefined],
      ['bot_message', undefined, true, 300],
      ['user_message', false, undefined, undefined],
      ['bot_message', undefined, false, 1000],
    ]);
  });

  it('a fallback action without a bot event in its turn is itself the fallback answer', () => {
    const events = outcomeEvents(rasaEvents('s', [user(T, 'thanks', 'thank'), action(T + 0.1, 'action_default_fallback'), action(T + 0.2, 'action_listen'), user(T + 9, 'bye', 'goodbye')], options));
    expect(events.map((e) => [e.event_id, e.type, e.fallback])).toEqual([
      [`s:${T}:user`, 'user_message', undefined],
      [`s:${T + 0.1}:action:action_default_fallback`, 'bot_message', true],
      [`s:${T + 9}:user`, 'user_message', undefined],
    ]);
  });

  it('sessions: split at session_started once the session has messages; restart ends, pause hands off, custom actions call tools', () => {
    const config = adapterOptions({ rasa: { handoff_actions: ['action_handoff_to_agent'] } }).rasa;
    const events = outcomeEvents(
      rasaEvents(
        's',
        [
          { event: 'session_started', timestamp: T },
          action(T + 0.001, 'action_session_start'),
          { event: 'session_started', timestamp: T + 0.002 },
          user(T + 1, 'order 42?', 'order_status'),
          action(T + 1.5, 'action_check_order'),
          { event: 'action_execution_rejected', timestamp: T + 1.6, name: 'action_refund' },
          { event: 'restart', timestamp: T + 2 },
          { event: 'session_started', timestamp: T + 3600 },
          user(T + 3601, 'human please', 'request_human'),
          action(T + 3602, 'action_handoff_to_agent'),
          { event: 'pause', timestamp: T + 3603 },
        ],
        config,
      ),
    );
    expect(events.map((e) => [e.conversation_id, e.type, e.name, e.success])).toEqual([
      [`s:${T}`, 'conversation_started', undefined, undefined],
      [`s:${T}`, 'user_message', undefined, undefined],
      [`s:${T}`, 'tool_call', 'action_check_order', true],
      [`s:${T}`, 'tool_call', 'action_refund', false],
      [`s:${T}`, 'conversation_ended', undefined, undefined],
      [`s:${T + 3600}`, 'user_message', undefined, undefined],
      [`s:${T + 3600}`, 'handoff', undefined, undefined],
      [`s:${T + 3600}`, 'handoff', undefined, undefined],
    ]);
  });

  it("Rasa 3 logs action_session_start before session_started: each session's conversation_started is its own", () => {
    const events = outcomeEvents(
      rasaEvents(
        'r3',
        [
          action(T, 'action_session_start'),
          { event: 'session_started', timestamp: T + 0.001 },
          action(T + 0.002, 'action_listen'),
          user(T + 1, 'hi', 'greet'),
          bot(T + 1.2, 'Hello'),
          action(T + 7200, 'action_session_start'),
          { event: 'session_started', timestamp: T + 7200.001 },
          user(T + 7201, 'back again', 'greet'),
        ],
        options,
      ),
    );
    expect(events.map((e) => [e.conversation_id, e.type])).toEqual([
      [`r3:${T}`, 'conversation_started'],
      [`r3:${T}`, 'user_message'],
      [`r3:${T}`, 'bot_message'],
      [`r3:${T + 7200}`, 'conversation_started'],
      [`r3:${T + 7200}`, 'user_message'],
    ]);
  });

  it('a Rasa Pro flow: completed and cancelled flows are tasks, the patterns a handoff, an error and a fallback answer', () => {
    const events = outcomeEvents(
      rasaEvents(
        'p',
        [
          user(T, 'send money', null),
          { event: 'flow_started', timestamp: T + 0.1, flow_id: 'transfer_money' },
          bot(T + 0.5, 'How much?'),
          { event: 'flow_completed', timestamp: T + 2, flow_id: 'transfer_money', step_id: 'END' },
          user(T + 5, 'weather?', null),
          { event: 'flow_started', timestamp: T + 5.1, flow_id: 'pattern_cannot_handle' },
          bot(T + 5.5, "I can't help with that."),
          { event: 'flow_completed', timestamp: T + 5.6, flow_id: 'pattern_cannot_handle' },
          { event: 'flow_cancelled', timestamp: T + 6, flow_id: 'update_address' },
          { event: 'flow_started', timestamp: T + 7, flow_id: 'pattern_internal_error' },
          { event: 'flow_started', timestamp: T + 8, flow_id: 'pattern_human_handoff' },
        ],
        options,
      ),
    );
    expect(events.map((e) => [e.type, e.name ?? e.text, e.success ?? e.fallback ?? e.error_code])).toEqual([
      ['user_message', 'send money', undefined],
      ['bot_message', 'How much?', false],
      ['task', 'transfer_money', true],
      ['user_message', 'weather?', undefined],
      ['bot_message', "I can't help with that.", true],
      ['task', 'update_address', false],
      ['error', 'rasa', 'pattern_internal_error'],
      ['handoff', undefined, undefined],
    ]);
  });

  it('satisfaction only where the team says: a feedback intent or slot, on the configured scale', () => {
    const config = adapterOptions({ rasa: { feedback_intents: { thumbs_up: 1, thumbs_down: 0 }, feedback_slot: 'csat', feedback_scale_max: 1 } }).rasa;
    const events = outcomeEvents(rasaEvents('f', [user(T, '👍', 'thumbs_up'), { event: 'slot', timestamp: T + 1, name: 'csat', value: 0 }, { event: 'slot', timestamp: T + 2, name: 'csat', value: null }], config));
    expect(ofType(events, 'feedback').map((e) => [e.event_id, e.score, e.scale_max])).toEqual([
      [`f:${T}:user:feedback`, 1, 1],
      [`f:${T + 1}:slot:csat`, 0, 1],
    ]);
    expect(ofType(outcomeEvents(rasaEvents('f', [user(T, '👍', 'thumbs_up')], options)), 'feedback')).toEqual([]);
  });

  it('an event that should map but has no timestamp is quarantined; one that would be skipped is skipped', () => {
    expect(rasaEvents('q', [{ event: 'user', text: 'hi' }, { event: 'action', name: 'action_listen' }], options, undefined, () => 'line 3')).toEqual([
      { error: 'event 1 of sender "q" (line 3) (user): no timestamp' },
      { skip: 'action_listen' },
    ]);
  });
});

describe('Rasa fixture: an open-source tracker and a Rasa Pro (CALM) tracker', () => {
  const config = { rasa: { handoff_actions: ['action_handoff_to_agent'], feedback_slot: 'csat', feedback_scale_max: 5 } };

  it('maps every event as worked out by hand', async () => {
    const r = await read('rasa', fixture('rasa-trackers.json'), config);
    expect(r.reader.sourceStats).toEqual({
      units: { event: 48 },
      read: 48,
      // 32 mapped: two fallback actions answered by a bot event, a rewind and pattern_cannot_handle map to no event of their own.
      mapped: 32,
      events: 29,
      skipped: 15,
      skip_reasons: { action_listen: 6, session_started: 4, flow_started: 2, 'pattern flow_completed': 1, slot: 1, 'utter action': 1 },
      quarantined: 1,
    });
    expect(r.errors).toEqual([expect.stringMatching(/^event 19 of sender "bob" \(tracker at line \d+\) \(user\): no timestamp$/)]);
    const e = byId(r.events);
    expect(e[`alice:${T + 10}:user`]).toMatchObject({ correction: true, intent: 'nlu_fallback', conversation_id: `alice:${T}`, model_version: '20260301-model', language: 'en', channel: 'web' });
    expect(e[`alice:${T + 10.3}:bot`]).toMatchObject({ fallback: true, latency_ms: 300 });
    expect(e[`alice:${T + 30.1}:action:action_default_fallback`]).toMatchObject({ type: 'bot_message', fallback: true });
    expect(e[`alice:${T + 3610.5}:action:action_handoff_to_agent`]).toMatchObject({ type: 'handoff', conversation_id: `alice:${T + 3600}` });
    expect(e[`bob:1772532022:slot:csat`]).toMatchObject({ type: 'feedback', score: 4, scale_max: 5 });
    const perType = (type: string) => ofType(r.events, type).length;
    // Bot answers: alice's four (one of them the unanswered fallback action) and bob's three.
    expect(['conversation_started', 'user_message', 'bot_message', 'tool_call', 'handoff', 'task', 'error', 'feedback', 'conversation_ended'].map(perType)).toEqual([3, 10, 7, 1, 3, 2, 1, 1, 1]);
  });

  it("reads `rasa export` lines (one event with its sender per line, gzip too), the SQL store's events table as CSV, the SQL broker's rows", async () => {
    const dir = tmpDir();
    const parsed = JSON.parse(fs.readFileSync(fixture('rasa-trackers.json'), 'utf8')) as { sender_id: string; events: Record<string, unknown>[] }[];
    const lines = parsed.flatMap((t) => t.events.map((ev) => JSON.stringify({ sender_id: t.sender_id, ...ev })));
    const exported = writeFile(dir, 'export.jsonl.gz', gzip(lines.join('\n') + '\n'));
    const csv = ['id,sender_id,type_name,timestamp,intent_name,action_name,data']
      .concat(parsed.flatMap((t) => t.events.map((ev, i) => [i + 1, t.sender_id, ev.event, ev.timestamp ?? '', '', ev.name ?? '', `"${JSON.stringify(ev).replaceAll('"', '""')}"`].join(','))))
      .join('\n');
    const sql = writeFile(dir, 'events.csv', csv + '\n');
    // The SQL event broker's table: sender_id and the event's JSON in data.
    const broker = writeFile(dir, 'broker.jsonl', parsed.flatMap((t) => t.events.map((ev) => JSON.stringify({ sender_id: t.sender_id, data: JSON.stringify(ev) }))).join('\n'));
    const base = await read('rasa', fixture('rasa-trackers.json'), config);
    const a = await read('rasa', exported, config);
    const b = await read('rasa', sql, config);
    expect(a.events).toEqual(base.events);
    expect(b.events).toEqual(base.events);
    expect((await read('rasa', broker, config)).events).toEqual(base.events);
    expect(a.errors.map((x) => x.replace(/ \(.*?\) /, ' '))).toEqual(base.errors.map((x) => x.replace(/ \(.*?\) /, ' ')));
    expect(a.errors[0]).toMatch(/\(line 48\)/);
  });
});
