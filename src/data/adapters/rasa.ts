import type { SourceRecord } from '../readers/source.ts';
import { at, decimalText, exportUnits, isObject, num, secondsToMs, str, talliedReader, type AdapterReader, type CanonicalCandidate, type Outcome } from './common.ts';
import { isFailure, parseJson } from './json.ts';
import type { RasaOptions } from './options.ts';

/**
 * Rasa trackers (../shared/samples/README.md): a tracker per sender (`sender_id` + `events[]`, as the HTTP API and
 * tracker-store dumps give it, Botfront's documents wrapping it under `tracker`), or one event per line or row with
 * its `sender_id` (`rasa export`, the SQL tracker store's `events` table as JSON or CSV). `rasaEvents` is the
 * pure mapping of one sender's events; `rasaReader` streams a file through it.
 */

/** Actions Rasa (Open Source and Pro) runs itself: neither answers nor backend calls. */
const BUILT_IN_ACTIONS = new Set([
  'action_listen',
  'action_restart',
  'action_session_start',
  'action_default_fallback',
  'action_deactivate_loop',
  'action_deactivate_form',
  'action_revert_fallback_events',
  'action_default_ask_affirmation',
  'action_default_ask_rephrase',
  'action_two_stage_fallback',
  'action_unlikely_intent',
  'action_back',
  'action_extract_slots',
  'action_validate_slot_mappings',
  'action_send_text',
  'action_clean_stack',
  'action_trigger_search',
  'action_trigger_chitchat',
  'action_cancel_flow',
  'action_run_slot_rejections',
  'action_correct_flow_slot',
  'action_clarify_flows',
  'action_hangup',
  'action_repeat_bot_messages',
  'action_block_digressions',
  'action_continue_digression',
  'action_reset_routing',
]);

/** What carries over from one batch of a sender's events to the next (`rasa export` lines of one sender). */
export interface RasaState {
  /** The timestamp (as written) of the session_started that opened the current session, if any. */
  sessionKey?: string;
  /** Whether the current session has had a message: a later session_started then opens a new conversation. */
  sessionHasContent: boolean;
  /** The last user message's time (ms), while its answer is awaited: the first bot answer's latency. */
  awaitingSince?: number;
}

export const newRasaState = (): RasaState => ({ sessionHasContent: false });

interface Turn {
  /** A fallback intent, action or pattern_cannot_handle came in this turn: its bot answers are fallbacks. */
  fallback: boolean;
  /** Outcome indexes of fallback actions (or patterns) still waiting for the bot answer they imply. */
  pending: number[];
  /** Outcome index of the last user message (for a rewind). */
  lastUser?: number;
}

/** A fallback action's outcome while its answer is awaited: `answer` is the bot message it stands for if none comes. */
type Pending = { events: CanonicalCandidate[]; answer?: CanonicalCandidate };

const patternFlow = (flowId: string) => flowId.startsWith('pattern_');

/**
 * Maps one sender's events, in tracker order, to one Outcome each (pure apart from `state`, which carries the
 * session over to the sender's next batch). `locate` says where each event is in the file, for quarantine reasons.
 */
export function rasaEvents(
  senderId: string,
  events: readonly unknown[],
  options: RasaOptions,
  state: RasaState = newRasaState(),
  locate?: (index: number) => string,
): Outcome[] {
  const out: Outcome[] = [];
  let turn: Turn = { fallback: false, pending: [] };
  const conversationId = () => (state.sessionKey === undefined ? senderId : `${senderId}:${state.sessionKey}`);
  /** Resolves the turn's pending fallback actions: `answered` when a bot event came, else each is its own answer. */
  const settle = (answered: boolean) => {
    for (const index of turn.pending) {
      const action = out[index] as Pending;
      if (!answered && action.answer) action.events.push(action.answer);
      delete action.answer;
    }
    turn.pending = [];
  };
  const endTurn = () => {
    settle(false);
    turn = { fallback: false, pending: [] };
  };
  /** A session start (session_started or action_session_start): a new conversation once the current one has messages. */
  const openSession = (tsText: string | undefined) => {
    if (!state.sessionHasContent && state.sessionKey !== undefined) return;
    if (state.sessionHasContent) endTurn();
    if (tsText !== undefined) state.sessionKey = tsText;
    state.sessionHasContent = false;
    state.awaitingSince = undefined;
  };

  events.forEach((value, i) => {
    const where = `event ${i + 1} of sender ${JSON.stringify(senderId)}${locate ? ` (${locate(i)})` : ''}`;
    if (!isObject(value)) {
      out.push({ error: `${where}: not a JSON object` });
      return;
    }
    const e = value;
    const type = str(e.event);
    if (type === undefined) {
      out.push({ error: `${where}: no "event" type` });
      return;
    }
    const tsText = typeof e.timestamp === 'number' ? decimalText(e.timestamp) : str(e.timestamp);
    const ms = secondsToMs(e.timestamp);
    const name = str(e.name);
    const metadata = isObject(e.metadata) ? e.metadata : {};
    /** The event's canonical fields; an error Outcome when it has no usable timestamp. */
    const base = (suffix: string): CanonicalCandidate | { error: string } =>
      ms === undefined || tsText === undefined
        ? { error: `${where} (${type}${name ? ` ${name}` : ''}): no timestamp` }
        : {
            event_id: `${senderId}:${tsText}:${suffix}`,
            ts: ms,
            conversation_id: conversationId(),
            user_id: options.sender_is_user ? senderId : undefined,
            model_version: str(metadata.model_id),
          };
    const emit = (suffix: string, fields: CanonicalCandidate): Outcome => {
      const b = base(suffix);
      return 'error' in b ? { error: b.error as string } : { events: [{ ...b, ...fields }] };
    };
    const skip = (reason: string) => out.push({ skip: reason });

    switch (type) {
      case 'session_started':
        openSession(tsText);
        skip('session_started');
        return;
      case 'user': {
        endTurn();
        const parse = isObject(e.parse_data) ? e.parse_data : {};
        const intent = isObject(parse.intent) ? str(parse.intent.name) : undefined;
        const outcome = emit('user', {
          type: 'user_message',
          intent,
          channel: str(e.input_channel),
          language: str(metadata.language) ?? str(parse.language),
          text: str(e.text),
          correction: false,
        });
        if ('events' in outcome) {
          if (intent !== undefined && Object.hasOwn(options.feedback_intents, intent) && options.feedback_scale_max !== null)
            outcome.events.push({ ...outcome.events[0], event_id: `${outcome.events[0].event_id}:feedback`, type: 'feedback', score: options.feedback_intents[intent], scale_max: options.feedback_scale_max, correction: undefined, text: undefined });
          turn.lastUser = out.length;
          state.sessionHasContent = true;
          state.awaitingSince = ms;
        }
        if (intent !== undefined && options.fallback_intents.includes(intent)) turn.fallback = true;
        out.push(outcome);
        return;
      }
      case 'bot': {
        const latency = state.awaitingSince !== undefined && ms !== undefined && ms >= state.awaitingSince ? ms - state.awaitingSince : undefined;
        const outcome = emit('bot', { type: 'bot_message', text: str(e.text), fallback: turn.fallback, latency_ms: latency });
        if ('events' in outcome) {
          state.sessionHasContent = true;
          state.awaitingSince = undefined;
          settle(true);
        }
        out.push(outcome);
        return;
      }
      case 'action':
        // Rasa logs `action_session_start` before the `session_started` it emits (Botfront after one of its own):
        // either opens the session, and the conversation_started belongs to it.
        if (name === 'action_session_start') openSession(tsText);
        out.push(
          actionOutcome(name, options, emit, () => {
            turn.fallback = true;
            turn.pending.push(out.length);
          }),
        );
        return;
      case 'action_execution_rejected':
        if (name && isCustomAction(name, options)) out.push(emit(`rejected:${name}`, { type: 'tool_call', name, success: false }));
        else skip('action_execution_rejected');
        return;
      case 'rewind': {
        if (turn.lastUser === undefined) {
          skip('rewind without a user message');
          return;
        }
        const user = out[turn.lastUser] as { events: CanonicalCandidate[] };
        user.events[0].correction = true;
        out.push({ events: [] });
        return;
      }
      case 'restart':
        endTurn();
        out.push(emit('restart', { type: 'conversation_ended' }));
        return;
      case 'pause':
        out.push(emit('pause', { type: 'handoff' }));
        return;
      case 'slot': {
        if (!options.feedback_slot || name !== options.feedback_slot || options.feedback_scale_max === null) return skip('slot');
        if (e.value === null || e.value === undefined) return skip('feedback slot reset');
        const score = num(e.value);
        if (score === undefined) {
          out.push({ error: `${where}: feedback slot ${name} holds ${JSON.stringify(e.value)}, not a number` });
          return;
        }
        out.push(emit(`slot:${name}`, { type: 'feedback', score, scale_max: options.feedback_scale_max }));
        return;
      }
      case 'flow_started': {
        const flow = str(e.flow_id);
        if (flow === 'pattern_human_handoff') out.push(emit(`flow_started:${flow}`, { type: 'handoff' }));
        else if (flow === 'pattern_internal_error') out.push(emit(`flow_started:${flow}`, { type: 'error', name: 'rasa', error_code: flow }));
        else if (flow === 'pattern_cannot_handle') {
          const outcome = emit(`flow_started:${flow}`, { type: 'bot_message', fallback: true });
          turn.fallback = true;
          if ('events' in outcome) {
            turn.pending.push(out.length);
            out.push({ events: [], answer: outcome.events[0] } as Pending);
          } else out.push(outcome);
        } else skip('flow_started');
        return;
      }
      case 'flow_completed':
      case 'flow_cancelled': {
        const flow = str(e.flow_id);
        if (!flow || patternFlow(flow)) return skip(`pattern ${type}`);
        out.push(emit(`${type}:${flow}`, { type: 'task', name: flow, success: type === 'flow_completed' }));
        return;
      }
      default:
        skip(type);
    }
  });
  endTurn();
  return out;
}

function isCustomAction(name: string, options: RasaOptions): boolean {
  return name.startsWith('action_') && !BUILT_IN_ACTIONS.has(name) && !options.ignored_actions.includes(name) && !options.fallback_actions.includes(name) && !options.handoff_actions.includes(name);
}

function actionOutcome(name: string | undefined, options: RasaOptions, emit: (suffix: string, fields: CanonicalCandidate) => Outcome, fallback: () => void): Outcome {
  if (!name) return { skip: 'action without a name' };
  if (name === 'action_session_start') return emit(`action:${name}`, { type: 'conversation_started' });
  if (options.fallback_actions.includes(name)) {
    // The fallback answer is the bot event that follows; without one, the action itself is that answer.
    const answer = emit(`action:${name}`, { type: 'bot_message', fallback: true });
    if ('error' in answer) return answer;
    fallback();
    return { events: [], answer: (answer as { events: CanonicalCandidate[] }).events[0] } as Pending;
  }
  if (options.handoff_actions.includes(name)) return emit(`action:${name}`, { type: 'handoff' });
  if (name === 'action_listen') return { skip: 'action_listen' };
  if (name.startsWith('utter_')) return { skip: 'utter action' };
  if (BUILT_IN_ACTIONS.has(name)) return { skip: 'built-in action' };
  if (options.ignored_actions.includes(name)) return { skip: 'ignored action' };
  if (name.startsWith('action_')) return emit(`action:${name}`, { type: 'tool_call', name, success: true });
  return { skip: 'form or other action' };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the file shapes

/** Whether a JSON object is a Rasa tracker, a Botfront conversation, or one event/row with its sender: what auto-detection checks. */
export function looksLikeRasa(o: Record<string, unknown>): boolean {
  if (isObject(o.tracker)) return looksLikeRasa(o.tracker);
  if (typeof o.sender_id !== 'string') return false;
  return Array.isArray(o.events) || typeof o.event === 'string' || typeof o.type_name === 'string' || typeof o.data === 'string' || isObject(o.data);
}

type RasaUnit =
  | { kind: 'tracker'; senderId: string; events: unknown[]; line: number }
  | { kind: 'event'; senderId: string; event: unknown; line: number; raw: unknown }
  | { kind: 'unreadable'; error: string; raw: unknown; line: number };

/** One JSON unit or CSV row of a Rasa export, as a tracker or as one event of a sender. */
export function rasaUnit(value: unknown, line: number): RasaUnit {
  if (!isObject(value)) return { kind: 'unreadable', error: `${at(line)}: not a JSON object`, raw: value, line };
  const tracker = isObject(value.tracker) ? value.tracker : value;
  const senderId = str(tracker.sender_id);
  if (Array.isArray(tracker.events) || (tracker.events === null && senderId)) {
    if (!senderId) return { kind: 'unreadable', error: `${at(line)}: a tracker without a sender_id`, raw: value, line };
    return { kind: 'tracker', senderId, events: (tracker.events as unknown[] | null) ?? [], line };
  }
  if (!senderId) return { kind: 'unreadable', error: `${at(line)}: neither a tracker (sender_id, events) nor an event with its sender_id`, raw: value, line };
  if (typeof value.event === 'string') return { kind: 'event', senderId, event: value, line, raw: value };
  if (typeof value.type_name === 'string' || typeof value.data === 'string' || isObject(value.data)) {
    // A row of the SQL tracker store's `events` table (or of the SQL event broker's): `data` holds the event's JSON.
    let event: unknown = value.data;
    if (typeof event === 'string' && event.trim()) {
      try {
        event = parseJson(event);
      } catch {
        return { kind: 'unreadable', error: `${at(line)}: the row's data column is not JSON`, raw: value, line };
      }
    }
    if (!isObject(event)) {
      if (typeof value.type_name !== 'string') return { kind: 'unreadable', error: `${at(line)}: a row without its event's data`, raw: value, line };
      event = { event: value.type_name, timestamp: num(value.timestamp), name: str(value.action_name) };
    }
    else if ((event as Record<string, unknown>).timestamp === undefined) event = { ...event, timestamp: num(value.timestamp) };
    return { kind: 'event', senderId, event, line, raw: value };
  }
  return { kind: 'unreadable', error: `${at(line)}: neither a tracker (sender_id, events) nor an event with its sender_id`, raw: value, line };
}

export function rasaReader(file: string, options: RasaOptions): AdapterReader {
  return talliedReader('rasa', async function* (tally) {
    // Per sender, the session state, so that a sender's events split over several batches stay one conversation.
    const states = new Map<string, RasaState>();
    const stateOf = (sender: string) => states.get(sender) ?? states.set(sender, newRasaState()).get(sender)!;
    let batch: { senderId: string; events: unknown[]; raws: unknown[]; lines: number[] } | undefined;
    const flush = function* (): Generator<SourceRecord> {
      if (!batch) return;
      const lines = batch.lines;
      const outcomes = rasaEvents(batch.senderId, batch.events, options, stateOf(batch.senderId), (i) => at(lines[i]));
      for (const [i, outcome] of outcomes.entries()) yield* tally.record('event', batch.raws[i], outcome);
      batch = undefined;
    };
    for await (const item of exportUnits(file, new Set())) {
      const unit: RasaUnit = isFailure(item) ? { kind: 'unreadable', error: `${at(item.line)}: ${item.error}`, raw: item.raw, line: item.line } : rasaUnit(item.value, item.line);
      if (unit.kind === 'event') {
        if (batch && batch.senderId !== unit.senderId) yield* flush();
        batch ??= { senderId: unit.senderId, events: [], raws: [], lines: [] };
        batch.events.push(unit.event);
        batch.raws.push(unit.raw);
        batch.lines.push(unit.line);
        continue;
      }
      yield* flush();
      if (unit.kind === 'unreadable') yield* tally.record('unreadable record', unit.raw, { error: unit.error });
      else {
        const outcomes = rasaEvents(unit.senderId, unit.events, options, stateOf(unit.senderId), () => `tracker at ${at(unit.line)}`);
        for (const [i, outcome] of outcomes.entries()) yield* tally.record('event', unit.events[i], outcome);
      }
    }
    yield* flush();
  });
}
