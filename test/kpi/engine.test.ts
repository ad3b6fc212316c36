import { describe, expect, it, beforeAll } from 'vitest';
import { computeResults } from '../../src/kpi/engine.ts';
import type { Results } from '../../src/kpi/results.ts';
import { snapshotOf } from '../helpers/snapshots.ts';

// A dozen conversations whose every figure is worked out by hand below.
let n = 0;
const ev = (conversation_id: string | undefined, ts: string, type: string, extra: object = {}) => ({ event_id: `${conversation_id ?? 'h'}-${String(n++).padStart(3, '0')}`, ts, conversation_id, type, ...extra });
const bot = (c: string, ts: string, extra: object = {}) => ev(c, ts, 'bot_message', { fallback: false, ...extra });

const events = [
  // c1: u1, web, billing; resolved, no handoff.
  ev('c1', '2026-01-05T10:00:00Z', 'conversation_started', { user_id: 'u1', channel: 'web', intent: 'billing' }),
  bot('c1', '2026-01-05T10:01:00Z', { latency_ms: 100, tokens_in: 10, tokens_out: 20, cost_usd: 0.01 }),
  ev('c1', '2026-01-05T10:05:00Z', 'resolved'),
  // c2: u2, channel only on a later event; handoff before resolved → escalated; a fallback answer.
  ev('c2', '2026-01-06T10:00:00Z', 'conversation_started', { user_id: 'u2', intent: 'billing' }),
  bot('c2', '2026-01-06T10:01:00Z', { latency_ms: 200, fallback: true, cost_usd: 0.02, channel: 'app' }),
  ev('c2', '2026-01-06T10:03:00Z', 'handoff'),
  ev('c2', '2026-01-06T10:05:00Z', 'resolved'),
  // c3: u1 again (returning), handoff at the same instant as resolved → escalated.
  ev('c3', '2026-01-07T10:00:00Z', 'conversation_started', { user_id: 'u1', channel: 'web', intent: 'orders' }),
  bot('c3', '2026-01-07T10:01:00Z', { latency_ms: 300 }),
  ev('c3', '2026-01-07T10:05:00Z', 'handoff'),
  ev('c3', '2026-01-07T10:05:00Z', 'resolved'),
  // c4: anonymous, no intent, an answer without latency or tokens; two feedbacks, the last one unhappy → abandoned.
  ev('c4', '2026-01-08T10:00:00Z', 'conversation_started', { channel: 'voice' }),
  bot('c4', '2026-01-08T10:00:30Z'),
  ev('c4', '2026-01-08T10:01:00Z', 'feedback', { score: 1, scale_max: 1 }),
  ev('c4', '2026-01-08T10:02:00Z', 'feedback', { score: 0, scale_max: 1 }),
  // c5: u3 starts just before the month ends and is resolved in February; two feedbacks at one instant:
  // the byte-wise greatest event_id (c5-zz, 5/5) wins.
  ev('c5', '2026-01-31T23:50:00Z', 'conversation_started', { user_id: 'u3', channel: 'web' }),
  bot('c5', '2026-01-31T23:51:00Z', { latency_ms: 500 }),
  ev('c5', '2026-02-01T00:10:00Z', 'resolved'),
  { event_id: 'c5-zz', ts: '2026-02-01T00:11:00Z', conversation_id: 'c5', type: 'feedback', score: 5, scale_max: 5 },
  { event_id: 'c5-aa', ts: '2026-02-01T00:11:00Z', conversation_id: 'c5', type: 'feedback', score: 2, scale_max: 5 },
  // c6: u1 in February (returning, judged against January), a correction, a failed tool, a task, an error.
  ev('c6', '2026-02-03T09:00:00Z', 'conversation_started', { user_id: 'u1', channel: 'web', intent: 'billing' }),
  ev('c6', '2026-02-03T09:00:10Z', 'user_message', { correction: true }),
  bot('c6', '2026-02-03T09:00:20Z', { latency_ms: 400 }),
  ev('c6', '2026-02-03T09:00:30Z', 'tool_call', { name: 'crm', success: false }),
  ev('c6', '2026-02-03T09:00:40Z', 'task', { name: 'order_lookup', success: true }),
  ev('c6', '2026-02-03T09:00:50Z', 'error', { name: 'crm', error_code: 'E1' }),
  // c7: u4, a timeout, a goal, two retrievals, a review.
  ev('c7', '2026-02-04T09:00:00Z', 'conversation_started', { user_id: 'u4', channel: 'app' }),
  ev('c7', '2026-02-04T09:00:10Z', 'retrieval', { success: false }),
  ev('c7', '2026-02-04T09:00:20Z', 'retrieval', { success: true }),
  ev('c7', '2026-02-04T09:00:30Z', 'goal', { name: 'lead_captured' }),
  ev('c7', '2026-02-04T09:00:40Z', 'review', { success: true }),
  ev('c7', '2026-02-04T09:10:00Z', 'timeout'),
  // Health checks: January half up; March only a health check (a month without conversations).
  ev(undefined, '2026-01-10T00:00:00Z', 'health_check', { success: true }),
  ev(undefined, '2026-01-20T00:00:00Z', 'health_check', { success: false }),
  ev(undefined, '2026-03-15T00:00:00Z', 'health_check', { success: true }),
];

let results: Results;
const month = (label: string) => results.cadences.month.find((p) => p.period === label)!;

beforeAll(async () => {
  results = await computeResults(await snapshotOf(events), { humanContactCostUsd: 4.5 });
});

describe('KPI engine on a hand-computed fixture', () => {
  it('computes January as worked out by hand', () => {
    const k = month('2026-01').kpis;
    expect(k.conversations).toBe(5);
    expect(k.unique_users).toBe(3);
    expect(k.anonymous_conversations).toBe(1);
    expect(k.returning_users).toBe(1); // u1: c3 has the earlier c1
    expect(k.returning_user_rate).toBeCloseTo(1 / 3, 12);
    expect(k.containment_rate).toBeCloseTo(3 / 5, 12); // c1, c4, c5
    expect(k.resolution_rate).toBeCloseTo(2 / 5, 12); // c1, c5 (c5 resolved after the month end still counts)
    expect(k.escalation_rate).toBeCloseTo(2 / 5, 12); // c2 resolved after handoff, c3 handoff at the same instant
    expect(k.abandonment_rate).toBeCloseTo(1 / 5, 12);
    expect(k.fallback_rate).toBeCloseTo(1 / 5, 12); // 5 answers, 1 fallback
    expect(k.fallback_conversation_rate).toBeCloseTo(1 / 5, 12);
    expect(k.satisfaction_rate).toBeCloseTo(1 / 2, 12); // c4 last is 0/1, c5 last (c5-zz) is 5/5
    expect(k.feedback_response_rate).toBeCloseTo(2 / 5, 12);
    expect(k.latency_mean_ms).toBeCloseTo(275, 9); // 100, 200, 300, 500 (c4 has none)
    expect(k.latency_p50_ms).toBeCloseTo(250, 9);
    expect(k.latency_p90_ms).toBeCloseTo(440, 9); // rank 2.7 → 300 + 0.7 × 200
    expect(k.latency_p95_ms).toBeCloseTo(470, 9);
    expect(k.latency_p99_ms).toBeCloseTo(494, 9);
    expect(k.total_cost_usd).toBeCloseTo(0.03, 12);
    expect(k.cost_per_conversation_usd).toBeCloseTo(0.006, 12);
    expect(k.cost_per_resolved_usd).toBeCloseTo(0.015, 12);
    expect(k.tokens_per_conversation).toBeCloseTo(6, 12); // 30 tokens, missing counts as 0
    expect(k.deflection_value_usd).toBeCloseTo(9, 12);
    expect(k.availability).toBe(0.5);
    expect(k.task_completion_rate).toBeNull(); // no task events: null, never 0
    expect(k.tool_failure_rate).toBeNull();
    expect(k.correction_rate).toBeNull();
    expect(k.error_count).toBe(0);
  });

  it('computes segments, the derived user cohort and (none)', () => {
    const s = month('2026-01').segments;
    expect(Object.keys(s.channel).sort()).toEqual(['app', 'voice', 'web']);
    expect(s.channel.web.conversations).toBe(3);
    expect(s.channel.web.resolution_rate).toBeCloseTo(2 / 3, 12);
    expect(s.channel.web.unique_users).toBe(2);
    expect(s.channel.web.returning_users).toBe(1);
    expect(s.channel.app.conversations).toBe(1); // c2's channel arrives on its second event
    expect(s.intent['(none)'].conversations).toBe(2); // c4 and c5
    expect(s.user_cohort.new.conversations).toBe(3);
    expect(s.user_cohort.returning.conversations).toBe(1);
    expect(s.user_cohort.anonymous.conversations).toBe(1);
    expect(s.channel.web).not.toHaveProperty('availability');
  });

  it('computes February, with previous, change and breakdowns', () => {
    const feb = month('2026-02');
    expect(feb.kpis.conversations).toBe(2);
    expect(feb.kpis.returning_users).toBe(1); // u1, judged against January
    expect(feb.kpis.correction_rate).toBe(1);
    expect(feb.kpis.tool_failure_rate).toBe(1);
    expect(feb.kpis.error_conversation_rate).toBe(0.5);
    expect(feb.kpis.timeout_rate).toBe(0.5);
    expect(feb.kpis.retrieval_success_rate).toBe(0.5);
    expect(feb.kpis.availability).toBeNull();
    expect(feb.previous).toEqual(month('2026-01').kpis);
    expect(feb.change!.conversations).toEqual({ delta: -3, relative: -0.6 });
    expect(feb.change!.availability).toEqual({ delta: null, relative: null });
    expect(feb.breakdowns.task).toEqual({ order_lookup: { count: 1, task_completion_rate: 1 } });
    expect(feb.breakdowns.tool).toEqual({ crm: { count: 1, tool_failure_rate: 1 } });
    expect(feb.breakdowns.integration).toEqual({ crm: { count: 1 } });
    expect(feb.breakdowns.goal).toEqual({ lead_captured: { count: 1, goal_rate: 0.5 } });
    expect(feb.partial).toBe(false);
    expect(month('2026-01').previous).toBeNull();
    expect(month('2026-01').change).toBeNull();
  });

  it('keeps a period without conversations, with zero counts and null rates', () => {
    const mar = month('2026-03');
    expect(mar.kpis.conversations).toBe(0);
    expect(mar.kpis.total_cost_usd).toBe(0);
    expect(mar.kpis.deflection_value_usd).toBe(0);
    expect(mar.kpis.resolution_rate).toBeNull();
    expect(mar.kpis.availability).toBe(1);
    expect(mar.partial).toBe(true);
    expect(mar.segments.channel).toEqual({});
    expect(results.cadences.quarter.map((p) => p.period)).toEqual(['2026-Q1']);
    expect(results.cadences.week[0].period).toBe('2026-W02');
  });

  it('holds resolution + escalation + abandonment = 1 and segment counts summing to the period', () => {
    for (const periods of Object.values(results.cadences))
      for (const p of periods) {
        if (!p.kpis.conversations) continue;
        const sum = (k: typeof p.kpis) => (k.resolution_rate ?? 0) + (k.escalation_rate ?? 0) + (k.abandonment_rate ?? 0);
        expect(sum(p.kpis)).toBeCloseTo(1, 12);
        for (const values of Object.values(p.segments)) {
          const total = Object.values(values).reduce((a, s) => a + (s.conversations as number), 0);
          expect(total).toBe(p.kpis.conversations);
          for (const s of Object.values(values)) expect(sum(s as typeof p.kpis)).toBeCloseTo(1, 12);
        }
      }
  });

  it('leaves deflection value null without human_contact_cost_usd', async () => {
    const other = await computeResults(await snapshotOf(events), { humanContactCostUsd: null });
    expect(other.cadences.month.every((p) => p.kpis.deflection_value_usd === null)).toBe(true);
  });
});
