import { at, decimalText, exportUnits, isObject, num, secondsToMs, str, talliedReader, type AdapterReader, type CanonicalCandidate, type Outcome } from './common.ts';
import { isFailure } from './json.ts';
import type { CopilotStudioOptions } from './options.ts';

/**
 * Microsoft Copilot Studio transcripts (../shared/samples/README.md): rows of the Dataverse `conversationtranscript`
 * table, one per session, whose `content` is a JSON string of Bot Framework activities. Read from the Web API's
 * JSON (`{"value": [rows]}`), an array or one row per line, the Power Apps CSV export, or a bare `{"activities": …}`.
 * `copilotEvents` is the pure mapping of one transcript; `copilotStudioReader` streams a file through it.
 */

export interface Transcript {
  conversationId?: string;
  activities: unknown[];
}

/** Whether a JSON object (or CSV row) is a transcript row, an OData page of them, or a transcript's content. */
export function looksLikeCopilotStudio(o: Record<string, unknown>): boolean {
  if (Array.isArray(o.value) && typeof o['@odata.context'] === 'string' && /conversationtranscript/i.test(o['@odata.context'])) return true;
  if (Array.isArray(o.value) && o.value.some((r) => isObject(r) && looksLikeCopilotStudio(r))) return true;
  if (typeof o.conversationtranscriptid === 'string') return true;
  if (typeof o.content === 'string' && /^\s*\{\s*"activities"\s*:/.test(o.content)) return true;
  if (isObject(o.content) && Array.isArray(o.content.activities)) return true;
  return Array.isArray(o.activities) && o.activities.some((a) => isObject(a) && typeof a.type === 'string' && 'from' in a);
}

/** The transcript of a row: its activities and the conversation (session) id the row names. */
export function transcriptOf(row: Record<string, unknown>): Transcript | { error: string } {
  let content: unknown = row.activities ? row : row.content;
  if (typeof content === 'string') {
    try {
      content = JSON.parse(content);
    } catch (error) {
      return { error: `content is not JSON (${(error as Error).message})` };
    }
  }
  if (!isObject(content) || !Array.isArray(content.activities)) return { error: 'no content with activities' };
  const activities = content.activities;
  return { conversationId: rowConversationId(row) ?? activityConversationId(activities), activities };
}

function rowConversationId(row: Record<string, unknown>): string | undefined {
  const id = str(row.conversationtranscriptid);
  if (id) return id;
  // `name` is `<conversation id>_<bot id>`.
  const name = str(row.name);
  if (!name) return undefined;
  let botId: string | undefined;
  try {
    const metadata = typeof row.metadata === 'string' ? JSON.parse(row.metadata) : row.metadata;
    botId = isObject(metadata) ? str(metadata.BotId) : undefined;
  } catch {
    botId = undefined;
  }
  if (botId && name.endsWith(`_${botId}`)) return name.slice(0, -botId.length - 1);
  const cut = name.lastIndexOf('_');
  return cut > 0 ? name.slice(0, cut) : name;
}

/** Bot Framework names the conversation on each activity (`conversation.id`) or in its id (`<conversation>|<seq>`). */
function activityConversationId(activities: unknown[]): string | undefined {
  for (const a of activities) if (isObject(a) && isObject(a.conversation) && str(a.conversation.id)) return str(a.conversation.id);
  for (const a of activities) {
    const id = isObject(a) ? str(a.id) : undefined;
    if (id && id.includes('|')) return id.slice(0, id.indexOf('|'));
  }
  return undefined;
}

const roleOf = (a: Record<string, unknown>): 'user' | 'bot' | undefined => {
  const role = isObject(a.from) ? a.from.role : undefined;
  return role === 1 || role === 'user' ? 'user' : role === 0 || role === 'bot' ? 'bot' : undefined;
};

/**
 * Maps one transcript's activities to one Outcome each (pure). `where` names the transcript in quarantine reasons.
 */
export function copilotEvents(transcript: Transcript, options: CopilotStudioOptions, where = 'transcript'): Outcome[] {
  const { activities } = transcript;
  const info = activities.find((a) => isObject(a) && a.type === 'trace' && a.valueType === 'ConversationInfo') as Record<string, unknown> | undefined;
  const infoValue = info && isObject(info.value) ? info.value : {};
  if (infoValue.isDesignMode === true && !options.include_design_mode) return activities.map(() => ({ skip: 'design mode (test canvas)' }));
  const conversationId = transcript.conversationId;
  const out: Outcome[] = [];
  const seen = new Map<string, number>();
  let lastUser: CanonicalCandidate | undefined;

  activities.forEach((value, i) => {
    const here = `${where}, activity ${i + 1}`;
    if (!isObject(value)) {
      out.push({ error: `${here}: not a JSON object` });
      return;
    }
    const a = value;
    const type = str(a.type) ?? '';
    const valueType = str(a.valueType);
    const name = str(a.name);
    const v = isObject(a.value) ? a.value : {};
    const tsText = typeof a.timestamp === 'number' ? decimalText(a.timestamp) : str(a.timestamp);
    const ts = typeof a.timestamp === 'number' ? secondsToMs(a.timestamp) : str(a.timestamp);
    const emit = (fields: CanonicalCandidate): Outcome => {
      if (conversationId === undefined) return { error: `${here}: the transcript names no conversation (no conversationtranscriptid, name or activity conversation id)` };
      if (ts === undefined) return { error: `${here} (${valueType ?? name ?? type}): no timestamp` };
      const id = str(a.id);
      // Trace activities have no id or a constant one ("0" on every SessionInfo): they are named by kind and time.
      let key = type !== 'trace' && id ? id : `${valueType ?? name ?? type}@${tsText}`;
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      if (n > 1) key += `#${n}`;
      return {
        events: [
          {
            event_id: `${conversationId}:${key}`,
            ts,
            conversation_id: conversationId,
            channel: str(a.channelId) ?? options.default_channel ?? undefined,
            language: str(a.locale) ?? str(infoValue.locale),
            ...fields,
          },
        ],
      };
    };
    const skip = (reason: string) => out.push({ skip: reason });

    switch (type) {
      case 'message': {
        const role = roleOf(a);
        if (role === undefined) return skip('message from another role');
        if (role === 'user') {
          const from = isObject(a.from) ? a.from : {};
          const userId = options.user_id_source === 'aadObjectId' ? str(from.aadObjectId) : options.user_id_source === 'from.id' ? str(from.id) : undefined;
          const outcome = emit({ type: 'user_message', text: str(a.text), user_id: userId });
          if ('events' in outcome) lastUser = outcome.events[0];
          out.push(outcome);
        } else out.push(emit({ type: 'bot_message', text: str(a.text) }));
        return;
      }
      case 'event':
        if (name === 'startConversation') out.push(emit({ type: 'conversation_started' }));
        else if (name === 'handoff.initiate') out.push(emit({ type: 'handoff' }));
        else skip(`event ${name ?? '(unnamed)'}`);
        return;
      case 'endOfConversation':
        out.push(emit({ type: 'conversation_ended' }));
        return;
      case 'trace':
        switch (valueType) {
          case 'SessionInfo': {
            const outcome = str(v.outcome);
            if (outcome === 'Resolved') out.push(emit({ type: 'resolved' }));
            else if (outcome === 'Escalated' || outcome === 'HandOff') out.push(emit({ type: 'handoff' }));
            else skip(outcome ? `outcome ${outcome}` : 'SessionInfo without an outcome');
            return;
          }
          case 'CSATSurveyResponse': {
            const score = num(v.csat ?? v.score ?? v.rating ?? v.value ?? a.value);
            if (score === undefined) out.push({ error: `${here}: CSAT survey response without a numeric score` });
            else out.push(emit({ type: 'feedback', score, scale_max: 5 }));
            return;
          }
          case 'IntentRecognition': {
            const intent = str(v.intentTitle) ?? str(v.topicName) ?? str(v.intentName) ?? str(v.intentId);
            if (!lastUser || intent === undefined) return skip(intent === undefined ? 'IntentRecognition without an intent' : 'IntentRecognition before any user message');
            lastUser.intent ??= intent;
            out.push({ events: [] });
            return;
          }
          case 'ErrorTraceData':
            out.push(emit({ type: 'error', name: 'copilot-studio', error_code: str(v.errorCode) ?? str(v.errorSubCode) }));
            return;
          default:
            skip(valueType ?? 'trace');
            return;
        }
      default:
        skip(type || 'activity without a type');
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

const DESCEND = new Set(['value']);

/** The transcript rows of one JSON unit or CSV row. */
function* rowsOf(value: unknown, key: string | undefined): Generator<Record<string, unknown> | undefined> {
  if (!isObject(value)) {
    yield undefined;
    return;
  }
  if (key === undefined && Array.isArray(value.value) && !('content' in value)) {
    for (const row of value.value) yield isObject(row) ? row : undefined;
    return;
  }
  yield value;
}

export function copilotStudioReader(file: string, options: CopilotStudioOptions): AdapterReader {
  return talliedReader('copilot-studio', async function* (tally) {
    for await (const item of exportUnits(file, DESCEND)) {
      if (isFailure(item)) {
        yield* tally.record('unreadable record', item.raw, { error: `${at(item.line)}: ${item.error}` });
        continue;
      }
      for (const row of rowsOf(item.value, item.key)) {
        const transcript = row ? transcriptOf(row) : { error: 'not a JSON object' };
        if ('error' in transcript) {
          yield* tally.record('unreadable record', row ?? item.value, { error: `transcript at ${at(item.line)}: ${transcript.error}` });
          continue;
        }
        const where = `transcript ${transcript.conversationId ?? '(no id)'} (${at(item.line)})`;
        const outcomes = copilotEvents(transcript, options, where);
        for (const [i, outcome] of outcomes.entries()) yield* tally.record('activity', transcript.activities[i], outcome);
      }
    }
  });
}
