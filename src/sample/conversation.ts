/**
 * One synthetic conversation of the sample export, turn by turn: the user asks, the bot retrieves, calls tools,
 * runs a workflow and answers; the conversation ends resolved, handed off or abandoned. The stories of
 * stories.ts act through `Era`.
 */
import { PRICE_PER_MTOK } from './stories.ts';
import type { Random, Weighted } from './random.ts';

export type Intent = 'billing' | 'order_status' | 'returns' | 'password_reset' | 'product_info' | 'book_demo' | 'other';
export type Channel = 'web' | 'app' | 'helpdesk' | 'voice' | 'whatsapp';
type Tool = 'crm_lookup' | 'payment_check' | 'booking' | 'auth';

/** An event before serialisation: `ts` in epoch milliseconds; undefined fields are left out of the line. */
export interface SampleEvent {
  event_id: string;
  ts: number;
  conversation_id?: string;
  type: string;
  [field: string]: unknown;
}

export interface Dimensions {
  user_id?: string;
  channel: Channel;
  entry_point: string;
  intent: Intent;
  language: string;
  device: string;
  user_type: 'anonymous' | 'authenticated';
  model_version: string;
  kb_version: string;
  prompt_version: string;
}

/** What is in force when the conversation starts, plus the outage window. */
export interface Era {
  /** Story 1: the new model (billing answers fall back far more often). */
  newModel: boolean;
  /** Story 2: the slow re-ranker of the knowledge base. */
  slowKb: boolean;
  /** Story 3: handoff requests are deflected. */
  strictRouting: boolean;
  /** Story 4: verbose prompt set. */
  verbose: boolean;
  /** Whether the LLM gateway is down at an instant. */
  gatewayDown(ts: number): boolean;
}

interface IntentProfile {
  /** P(fallback) of one answer. */
  fallback: number;
  /** P(the bot solves the request on a turn), from turn `minTurns` on. */
  solve: number;
  minTurns: number;
  /** P(a retrieval on a turn). */
  retrieval: number;
  tool?: Tool;
  task?: string;
  /** Share of the intent's conversations that run the workflow `task`. */
  taskShare: number;
  /** Base P(the user asks for a human) after an answer. */
  handoff: number;
  queue: string;
  openers: readonly string[];
}

const PROFILES: Record<Intent, IntentProfile> = {
  billing: {
    fallback: 0.07, solve: 0.5, minTurns: 1, retrieval: 0.55, tool: 'payment_check', task: 'invoice_lookup', taskShare: 0.5,
    handoff: 0.08, queue: 'billing_team', openers: ['why was I charged twice', 'need a copy of my invoice', 'update payment method'],
  },
  order_status: {
    fallback: 0.05, solve: 0.65, minTurns: 1, retrieval: 0.15, tool: 'crm_lookup', task: 'order_lookup', taskShare: 0.95,
    handoff: 0.05, queue: 'support_tier1', openers: ['where is my order', 'order not arrived yet', 'tracking status?'],
  },
  returns: {
    fallback: 0.08, solve: 0.5, minTurns: 2, retrieval: 0.6, tool: 'crm_lookup', task: 'return_request', taskShare: 0.7,
    handoff: 0.07, queue: 'support_tier1', openers: ['how do I return an item', 'start a return', 'refund for a return'],
  },
  password_reset: {
    fallback: 0.04, solve: 0.6, minTurns: 1, retrieval: 0.2, tool: 'auth', task: 'password_reset', taskShare: 0.95,
    handoff: 0.05, queue: 'it_helpdesk', openers: ['forgot my password', 'reset password', 'locked out of my account'],
  },
  product_info: {
    fallback: 0.1, solve: 0.5, minTurns: 1, retrieval: 0.9, task: 'lead_capture', taskShare: 0.25,
    handoff: 0.04, queue: 'sales', openers: ['does the pro plan include sso', 'compare plans', 'is there an api'],
  },
  book_demo: {
    fallback: 0.06, solve: 0.5, minTurns: 2, retrieval: 0.3, tool: 'booking', task: 'appointment', taskShare: 0.9,
    handoff: 0.06, queue: 'sales', openers: ['book a demo', 'talk to sales', 'schedule a call'],
  },
  other: {
    fallback: 0.2, solve: 0.35, minTurns: 1, retrieval: 0.7, taskShare: 0,
    handoff: 0.1, queue: 'support_tier1', openers: ['hi', 'question', 'help'],
  },
};

/** Billing's fallback rate under the new model (story 1). */
const BILLING_FALLBACK_NEW_MODEL = 0.27;

const TOOL_SUCCESS: Record<Tool, number> = { crm_lookup: 0.97, payment_check: 0.95, booking: 0.96, auth: 0.975 };
const TOOL_INTEGRATION: Record<Tool, string> = { crm_lookup: 'crm', payment_check: 'payments', booking: 'calendar', auth: 'identity' };
const TOOL_ERRORS: Record<Tool, readonly string[]> = {
  crm_lookup: ['CRM_TIMEOUT', 'HTTP_502', 'HTTP_429'],
  payment_check: ['PAYMENT_GATEWAY_502', 'PAYMENT_TIMEOUT'],
  booking: ['SLOT_CONFLICT', 'HTTP_503'],
  auth: ['IDP_TIMEOUT', 'HTTP_500'],
};
const GATEWAY_ERRORS: Weighted<string> = [['UPSTREAM_TIMEOUT', 5], ['HTTP_503', 3], ['RATE_LIMITED', 2]];

const MAX_TURNS = 8;
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** Inactivity limit after which a session times out. */
const INACTIVITY_LIMIT = 10 * MINUTE;

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

type Outcome = 'resolved' | 'escalated' | 'abandoned';

/**
 * The events of one conversation, in time order. `windowEnd` is the end of the data: a human review that would
 * come later is left out.
 */
export function simulateConversation(random: Random, id: string, start: number, dims: Dimensions, era: Era, windowEnd: number): SampleEvent[] {
  const events: SampleEvent[] = [];
  let n = 0;
  const add = (type: string, ts: number, fields: Record<string, unknown> = {}): SampleEvent => {
    n += 1;
    const event: SampleEvent = { event_id: `${id}-${String(n).padStart(2, '0')}`, ts: Math.round(ts), conversation_id: id, type, ...fields };
    events.push(event);
    return event;
  };
  add('conversation_started', start, { ...dims });

  const profile = PROFILES[dims.intent];
  const fallbackP =
    (dims.intent === 'billing' && era.newModel ? BILLING_FALLBACK_NEW_MODEL : profile.fallback) + (dims.language === 'en' ? 0 : 0.02);
  const workflow = profile.task !== undefined && random.chance(profile.taskShare);
  const thumbs = dims.channel === 'helpdesk' || dims.channel === 'voice' ? false : random.chance(0.85);

  let t = start + random.int(1500, 15000);
  let fallbacks = 0;
  let previousFallback = false;
  let frustrated = false;
  let deflections = 0;
  let slowest = 0;
  let outcome: Outcome = 'abandoned';
  let end = t;

  for (let turn = 1; turn <= MAX_TURNS; turn++) {
    if (turn > 1) t += clamp(random.logNormal(25 * SECOND, 0.6), 3 * SECOND, 5 * MINUTE);
    const correction = turn > 1 && random.chance(previousFallback ? 0.55 : frustrated ? 0.3 : 0.07);
    add('user_message', t, { correction, text: turn === 1 ? random.pick(profile.openers) : undefined });

    let cursor = t + random.int(80, 400);
    const usedRetrieval = random.chance(profile.retrieval);
    let retrievalFailed = false;
    if (usedRetrieval) {
      retrievalFailed = !random.chance(dims.intent === 'other' ? 0.72 : 0.9);
      add('retrieval', cursor, { name: 'help_center', success: !retrievalFailed });
      cursor += random.logNormal(220, 0.4);
      if (era.slowKb && random.chance(0.4)) cursor += random.logNormal(4500, 0.35);
    }

    // A user who was refused a human is usually past what the bot can do.
    const attempt = turn >= profile.minTurns && random.chance(profile.solve * (frustrated ? 0.4 : 1));
    let toolFailed = false;
    const tool = profile.tool;
    const callsTool = tool !== undefined && ((attempt && workflow) || (turn === 1 && tool === 'crm_lookup' && random.chance(0.5)));
    if (tool && callsTool) {
      const latency = Math.round(random.logNormal(320, 0.5));
      toolFailed = !random.chance(TOOL_SUCCESS[tool]);
      add('tool_call', cursor, { latency_ms: latency, name: tool, success: !toolFailed });
      cursor += latency;
      if (toolFailed) add('error', cursor, { name: TOOL_INTEGRATION[tool], error_code: random.pick(TOOL_ERRORS[tool]) });
    }

    const gatewayFailed = random.chance(era.gatewayDown(cursor) ? 0.45 : 0.003);
    if (gatewayFailed) {
      cursor += random.int(8000, 30000);
      add('error', cursor, { name: 'llm_gateway', error_code: random.weighted(GATEWAY_ERRORS) });
    }
    const fallback = gatewayFailed || (toolFailed && random.chance(0.6)) || random.chance(Math.min(0.95, fallbackP + (retrievalFailed ? 0.3 : 0)));

    // The workflow finishes just before the answer that reports it.
    let taskFailed = false;
    if (workflow && attempt && !fallback && profile.task) {
      taskFailed = toolFailed || !random.chance(0.92);
      add('task', cursor, { name: profile.task, success: !taskFailed });
    }

    let tokensIn = 0;
    let tokensOut = 0;
    if (!gatewayFailed) {
      tokensIn = (era.verbose ? 1350 : 950) + 260 * (turn - 1) + (usedRetrieval ? 850 : 0) + (callsTool ? 200 : 0) + random.int(0, 150);
      tokensOut = fallback ? random.int(25, 60) : Math.round(random.logNormal(era.verbose ? 270 : 125, 0.35));
      cursor += random.logNormal(1050 + tokensOut * 2, 0.3);
    } else {
      cursor += random.int(50, 200);
    }
    const answered = Math.round(cursor);
    const latency = answered - t;
    slowest = Math.max(slowest, latency);
    const cost = round((tokensIn * PRICE_PER_MTOK.in + tokensOut * PRICE_PER_MTOK.out) / 1e6, 8);
    add('bot_message', answered, { latency_ms: latency, tokens_in: tokensIn, tokens_out: tokensOut, cost_usd: cost, fallback });
    t = answered;
    end = t;
    if (fallback) fallbacks += 1;
    previousFallback = fallback;

    const solved = attempt && !fallback && !toolFailed && !taskFailed;
    if (solved && random.chance(0.85)) {
      t += clamp(random.logNormal(12 * SECOND, 0.5), 2 * SECOND, 2 * MINUTE);
      add('resolved', t);
      goals(random, dims.intent, workflow, t + random.int(200, 1500), add);
      end = t;
      if (random.chance(0.95)) end = add('conversation_ended', t + random.int(2 * SECOND, MINUTE)).ts;
      outcome = 'resolved';
      break;
    }

    const wantsHuman = random.chance(
      profile.handoff + (fallback ? 0.15 : 0) + (taskFailed ? 0.25 : 0) + (toolFailed ? 0.15 : 0) + 0.03 * (turn - 1) + (frustrated ? 0.1 : 0),
    );
    if (wantsHuman) {
      if (era.strictRouting && deflections < 2 && random.chance(0.7)) {
        // support-v13: the bot asks the user to try once more instead of transferring.
        deflections += 1;
        frustrated = true;
      } else {
        t += random.int(500, 3000);
        add('handoff', t, { name: profile.queue });
        end = t;
        if (random.chance(0.9)) end = add('conversation_ended', t + random.int(SECOND, 5 * SECOND)).ts;
        outcome = 'escalated';
        break;
      }
    }

    const abandons = random.chance(0.05 + (fallback ? 0.12 : 0) + (latency > 6000 ? 0.15 : 0) + (frustrated ? 0.22 : 0));
    if (abandons || turn === MAX_TURNS) {
      const how = random.weighted<'timeout' | 'closed' | 'silent'>(
        dims.channel === 'voice' ? [['timeout', 0.2], ['closed', 0.8], ['silent', 0]] : [['timeout', 0.45], ['closed', 0.35], ['silent', 0.2]],
      );
      if (how === 'timeout') {
        t += INACTIVITY_LIMIT;
        add('timeout', t);
        end = t;
        if (random.chance(0.8)) end = add('conversation_ended', t + random.int(200, 2000)).ts;
      } else if (how === 'closed') {
        end = add('conversation_ended', t + clamp(random.logNormal(40 * SECOND, 0.8), 2 * SECOND, 8 * MINUTE)).ts;
      }
      outcome = 'abandoned';
      break;
    }
  }

  // Satisfaction signal after the end: frustrated users answer more often, and less kindly.
  const feedbackP = { resolved: 0.3, escalated: 0.22, abandoned: 0.07 }[outcome] + (frustrated ? 0.2 : 0);
  if (random.chance(feedbackP)) {
    const satisfiedP = clamp(
      { resolved: 0.9, escalated: 0.62, abandoned: 0.25 }[outcome] - 0.08 * fallbacks - (frustrated ? 0.45 : 0) - (slowest > 6000 ? 0.1 : 0),
      0.03,
      0.97,
    );
    const satisfied = random.chance(satisfiedP);
    const score = thumbs ? (satisfied ? 1 : 0) : satisfied ? random.weighted([[5, 0.6], [4, 0.4]]) : random.weighted([[3, 0.4], [2, 0.3], [1, 0.3]]);
    add('feedback', end + random.int(3 * SECOND, 2 * MINUTE), { score, scale_max: thumbs ? 1 : 5 });
  }

  // A small sample of conversations gets a human reviewer's verdict a few hours or days later.
  if (random.chance(0.02)) {
    const at = end + random.int(HOUR, 72 * HOUR);
    const passP = clamp(0.93 - 0.12 * fallbacks - (dims.intent === 'billing' && era.newModel ? 0.2 : 0) - (frustrated ? 0.1 : 0), 0.2, 0.97);
    if (at < windowEnd) add('review', at, { success: random.chance(passP) });
  }
  return events;
}

function goals(random: Random, intent: Intent, workflow: boolean, at: number, add: (type: string, ts: number, fields: Record<string, unknown>) => unknown): void {
  if (intent === 'product_info') {
    if (workflow || random.chance(0.3)) add('goal', at, { name: 'lead_captured' });
  } else if (intent === 'book_demo') {
    if (random.chance(0.7)) add('goal', at, { name: 'lead_captured' });
    if (workflow) add('goal', at + 50, { name: 'demo_booked' });
  } else if (random.chance(0.9)) {
    add('goal', at, { name: 'ticket_deflected' });
  }
}
