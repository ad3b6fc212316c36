import { afterAll, describe, expect, it } from 'vitest';
import { copilotEvents, transcriptOf } from '../../src/data/adapters/copilotStudio.ts';
import { adapterOptions } from '../../src/data/adapters/options.ts';
import { byId, cleanup, fixture, HAS_SAMPLES, ofType, outcomeEvents, read, sample } from './helpers.ts';

afterAll(cleanup);

const options = adapterOptions()['copilot-studio'];
const T = 1772445600; // 2026-03-02T10:00:00Z, epoch seconds as the transcripts write them
const ROW1 = '11111111-aaaa-4000-8000-000000000001';
const ROW2 = '11111111-aaaa-4000-8000-000000000002';

describe.skipIf(!HAS_SAMPLES)('Copilot Studio sample', () => {
  it('the Dataverse download converts without an error: one user message, the ConversationInfo trace skipped', async () => {
    const r = await read('copilot-studio', sample('copilot_studio/dataverse_conversationtranscripts_download.json'));
    expect(r.errors).toEqual([]);
    expect(r.reader.sourceStats).toEqual({ units: { activity: 2 }, read: 2, mapped: 1, events: 1, skipped: 1, skip_reasons: { ConversationInfo: 1 }, quarantined: 0 });
    // The row has no conversationtranscriptid or name: the conversation is the Direct Line id in the activity id.
    expect(r.events).toEqual([
      {
        event_id: 'D4Qiv3Tns5d6a8vZvaXoAR-us:D4Qiv3Tns5d6a8vZvaXoAR-us|0000000',
        ts: 1677590794000,
        conversation_id: 'D4Qiv3Tns5d6a8vZvaXoAR-us',
        channel: 'directline',
        type: 'user_message',
        text: 'hi',
      },
    ]);
  });
});

describe('Copilot Studio mapping rules', () => {
  const transcript = (activities: unknown[]) => ({ conversationId: 'c', activities });
  const trace = (ts: number, valueType: string, value: object) => ({ type: 'trace', valueType, timestamp: ts, from: { id: '', role: 0 }, value });

  it('session outcomes: Resolved is resolved, Escalated and HandOff hand off, Abandoned is derived later, not an event', () => {
    const outcomes = copilotEvents(
      transcript([trace(T, 'SessionInfo', { outcome: 'Resolved' }), trace(T + 1, 'SessionInfo', { outcome: 'HandOff' }), trace(T + 2, 'SessionInfo', { outcome: 'Escalated' }), trace(T + 3, 'SessionInfo', { outcome: 'Abandoned' })]),
      options,
    );
    expect(outcomes.map((o) => ('events' in o ? o.events[0].type : 'skip' in o ? o.skip : o.error))).toEqual(['resolved', 'handoff', 'handoff', 'outcome Abandoned']);
    expect(outcomeEvents(outcomes).map((e) => e.event_id)).toEqual([`c:SessionInfo@${T}`, `c:SessionInfo@${T + 1}`, `c:SessionInfo@${T + 2}`]);
  });

  it('the handoff.initiate event hands off; CSAT is feedback on a 1–5 scale; an error trace is an error with its code', () => {
    const events = outcomeEvents(
      copilotEvents(
        transcript([
          { id: 'h1', type: 'event', name: 'handoff.initiate', timestamp: T, from: { role: 0 } },
          trace(T + 1, 'CSATSurveyResponse', { csat: 2 }),
          trace(T + 2, 'ErrorTraceData', { errorCode: 'FlowActionTimedOut', isUserError: false }),
        ]),
        options,
      ),
    );
    expect(events.map((e) => [e.event_id, e.type, e.score, e.scale_max, e.name, e.error_code])).toEqual([
      ['c:h1', 'handoff', undefined, undefined, undefined, undefined],
      [`c:CSATSurveyResponse@${T + 1}`, 'feedback', 2, 5, undefined, undefined],
      [`c:ErrorTraceData@${T + 2}`, 'error', undefined, undefined, 'copilot-studio', 'FlowActionTimedOut'],
    ]);
  });

  it('messages by role; the recognised intent goes on the user message it classified; the locale is the language', () => {
    const events = outcomeEvents(
      copilotEvents(
        transcript([
          trace(T, 'ConversationInfo', { isDesignMode: false, locale: 'fr-FR' }),
          { id: 'u1', type: 'message', timestamp: T + 1, from: { id: 'x', role: 1, aadObjectId: 'aad-1' }, channelId: 'msteams', text: 'bonjour' },
          trace(T + 2, 'IntentRecognition', { intentTitle: 'Greeting' }),
          { id: 'b1', type: 'message', timestamp: T + 3, from: { id: 'bot', role: 0 }, channelId: 'msteams', text: 'Salut !' },
        ]),
        options,
      ),
    );
    expect(events).toEqual([
      { event_id: 'c:u1', ts: (T + 1) * 1000, conversation_id: 'c', channel: 'msteams', language: 'fr-FR', type: 'user_message', text: 'bonjour', user_id: 'aad-1', intent: 'Greeting' },
      { event_id: 'c:b1', ts: (T + 3) * 1000, conversation_id: 'c', channel: 'msteams', language: 'fr-FR', type: 'bot_message', text: 'Salut !' },
    ]);
  });

  it('test conversations of the authoring canvas are left out unless configured', () => {
    const t = transcript([trace(T, 'ConversationInfo', { isDesignMode: true }), { id: 'u1', type: 'message', timestamp: T, from: { role: 1 }, text: 'test' }]);
    expect(copilotEvents(t, options)).toEqual([{ skip: 'design mode (test canvas)' }, { skip: 'design mode (test canvas)' }]);
    expect(outcomeEvents(copilotEvents(t, { ...options, include_design_mode: true }))).toHaveLength(1);
  });

  it('an activity without a timestamp is quarantined; a row names its conversation by id, else by name without the bot id', () => {
    expect(copilotEvents(transcript([{ id: 'u1', type: 'message', from: { role: 1 }, text: 'hi' }]), options, 'transcript c')).toEqual([
      { error: 'transcript c, activity 1 (message): no timestamp' },
    ]);
    expect(transcriptOf({ name: 'abc_def_bot-1', metadata: '{"BotId":"bot-1"}', content: '{"activities":[]}' })).toEqual({ conversationId: 'abc_def', activities: [] });
    expect(transcriptOf({ content: 'nope' })).toMatchObject({ error: expect.stringContaining('content is not JSON') });
  });
});

describe('Copilot Studio fixture: the Web API JSON and the Power Apps CSV export', () => {
  it.each(['copilot-transcripts.json', 'copilot-transcripts.csv'])('%s maps every activity as worked out by hand', async (file) => {
    const r = await read('copilot-studio', fixture(file));
    expect(r.reader.sourceStats).toEqual({
      units: { activity: 20, 'unreadable record': 1 },
      read: 21,
      // Two IntentRecognition traces map onto the user messages: 14 mapped to 12 events.
      mapped: 14,
      events: 12,
      skipped: 6,
      skip_reasons: { 'design mode (test canvas)': 3, ConversationInfo: 2, typing: 1 },
      quarantined: 1,
    });
    expect(r.errors).toEqual([expect.stringMatching(/^transcript at line \d+: content is not JSON/)]);
    const e = byId(r.events);
    expect(e[`${ROW1}:t1-a3`]).toMatchObject({ type: 'user_message', user_id: 'aad-7', intent: 'Escalate', channel: 'msteams', language: 'en-US' });
    expect(ofType(r.events, 'handoff').map((x) => x.event_id)).toEqual([`${ROW1}:t1-a6`, `${ROW1}:SessionInfo@${T + 24}`]);
    expect(e[`${ROW2}:t2-a2`]).toMatchObject({ type: 'user_message', intent: 'Reset password', language: 'de-CH', text: 'Passwort zurücksetzen' });
    expect(ofType(r.events, 'resolved')).toMatchObject([{ conversation_id: ROW2, ts: (T + 641) * 1000 }]);
    expect(ofType(r.events, 'feedback')).toMatchObject([{ conversation_id: ROW2, score: 4, scale_max: 5 }]);
    expect(ofType(r.events, 'error')).toMatchObject([{ conversation_id: ROW2, name: 'copilot-studio', error_code: 'FlowActionTimedOut' }]);
  });
});
