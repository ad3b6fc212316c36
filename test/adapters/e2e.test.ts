import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';
import type { AdaptersConfig } from '../../src/data/adapters/options.ts';
import { readManifest } from '../../src/data/manifest.ts';
import { snapshot, type SnapshotReport } from '../../src/data/snapshot.ts';
import { computeResults } from '../../src/kpi/engine.ts';
import { kpiById } from '../../src/kpi/registry.ts';
import type { PeriodDocument } from '../../src/kpi/results.ts';
import { figureView } from '../../src/site/periodView.ts';
import { cleanup, fixture, HAS_SAMPLES, sample, tmpDir, writeFile } from './helpers.ts';

afterAll(cleanup);

/** Snapshots the inputs (auto-detected) into a fresh folder and computes the monthly documents. */
async function run(inputs: string[], adapters?: AdaptersConfig): Promise<{ out: string; report: SnapshotReport; months: Record<string, PeriodDocument> }> {
  const out = path.join(tmpDir('adapters-e2e'), 'snapshots');
  const report = await snapshot(inputs, { out, timezone: 'UTC', from: 'auto', adapters });
  const results = await computeResults(out, { humanContactCostUsd: null, cadences: ['month'] });
  return { out, report, months: Object.fromEntries(results.cadences.month.map((d) => [d.period, d])) };
}

const PROMPTFOO: AdaptersConfig = {
  otel: {
    conversation_id_keys: ['conversation.session_id'],
    operation_keys: ['conversation.role'],
    operations: { user: 'user_message', assistant: 'bot_message' },
    dimension_keys: { channel: ['conversation.channel'], intent: ['conversation.intent'], model_version: ['llm.model'] },
  },
};
const RASA: AdaptersConfig = { rasa: { handoff_actions: ['action_handoff_to_agent'], feedback_slot: 'csat', feedback_scale_max: 5 } };

describe.skipIf(!HAS_SAMPLES)('end to end: snapshot and KPIs of each converted sample, checked by hand', () => {
  it('any-agent (OpenTelemetry SDK JSON): one conversation, two tools that worked, cost and tokens; no handoff data', async () => {
    const { report, months } = await run([sample('otel_genai/any-agent_OPENAI_trace.sdk-json.json')]);
    expect([report.read, report.kept, report.duplicates, report.quarantined]).toEqual([7, 7, 0, 0]);
    const doc = months['2025-09'];
    const k = doc.kpis;
    expect(k.conversations).toBe(1);
    expect(k.tool_failure_rate).toBe(0); // 2 tool calls, none failed
    expect(k.task_completion_rate).toBe(1);
    expect(k.fallback_rate).toBe(0); // the figure as the spec computes it: 0 of 3 answers flagged …
    expect(k.escalation_rate).toBe(0); // … and no handoff: which coverage reports as not measured
    expect(k.tokens_per_conversation).toBe(269 + 16 + 359 + 14 + 392 + 46);
    expect(k.total_cost_usd).toBeCloseTo(0.0000269 + 0.0000048 + 0.0000359 + 0.0000042 + 0.0000392 + 0.0000138, 12);
    expect(k.latency_mean_ms).toBeCloseTo((238.841 + 313.643 + 661.726) / 3, 9);
    expect(doc.coverage).toMatchObject({
      escalation_rate: 'no handoff events in any input',
      resolution_rate: 'no resolved events in any input',
      satisfaction_rate: 'no feedback events in any input',
      fallback_rate: 'OpenTelemetry traces do not mark fallback answers',
    });
  });

  it('promptfoo (OTLP with non-standard keys, configured): two conversations, two users, answer latencies', async () => {
    const { months } = await run([sample('otel_genai/promptfoo_production-traces.otlp.json')], PROMPTFOO);
    const k = months['2024-01'].kpis;
    expect([k.conversations, k.unique_users, k.anonymous_conversations]).toEqual([2, 2, 0]);
    expect(k.latency_mean_ms).toBeCloseTo((2800 + 2500 + 3200) / 3, 9);
    expect(months['2024-01'].segments.intent).toHaveProperty('upgrade_inquiry');
    expect(Object.keys(months['2024-01'].segments.channel).sort()).toEqual(['(none)', 'web_chat']);
  });

  it('OTLP samples without GenAI spans import nothing, with a warning, not an error', async () => {
    const out = path.join(tmpDir(), 'snapshots');
    const warnings: string[] = [];
    const report = await snapshot([sample('otel_genai/otlp-proto-example-trace.json')], { out, timezone: 'UTC', from: 'auto', progress: { fileStarted() {}, rows() {}, warn: (m) => warnings.push(m) } });
    expect([report.read, report.kept]).toEqual([0, 0]);
    expect(report.sources.otel).toMatchObject({ read: 1, skipped: 1 });
    expect(warnings).toEqual([expect.stringContaining('otlp-proto-example-trace.json: no chatbot events in it (otel: 1 span read: 0 mapped to 0 events, 1 skipped (no gen_ai.operation.name 1), 0 quarantined)')]);
  });

  it('Rasa samples: moodbot, Botfront conversations, the analytics fixture with its duplicate and its conflicting copy', async () => {
    const mood = (await run([sample('rasa/tracker_moodbot.json')])).months['2018-02'].kpis;
    expect([mood.conversations, mood.fallback_rate, mood.correction_rate, mood.unique_users]).toEqual([1, null, 0, 1]);

    const botfront = (await run([sample('rasa/botfront_conversations_rasa2_trackers.json')])).months['2020-10'];
    expect(botfront.kpis.conversations).toBe(8);
    expect(botfront.kpis.fallback_rate).toBe(0); // 14 answers, no fallback
    expect(botfront.kpis.tool_failure_rate).toBeNull();
    expect(botfront.kpis.escalation_rate).toBe(0);
    expect(botfront.coverage?.escalation_rate).toBe('no handoff events in any input');
    expect(Object.keys(botfront.segments.language).sort()).toEqual(['en', 'fr']);

    const analytics = await run([sample('rasa/botfront_analytics_conversations_fallback.json')]);
    // convoA repeats an event exactly (a duplicate); senderC has two different messages at one instant (a conflict).
    expect([analytics.report.read, analytics.report.kept, analytics.report.duplicates, analytics.report.quarantined]).toEqual([13, 11, 1, 1]);
    const quarantine = fs.readFileSync(path.join(analytics.out, 'quarantine.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(quarantine).toMatchObject([{ reason: 'event_id: duplicate with different content', row: 10, raw: { event: 'user', text: 'test2' } }]);
    const a = analytics.months['2019-11'].kpis;
    expect([a.conversations, a.tool_failure_rate, a.fallback_rate]).toEqual([4, 0, null]);
    const configured = (await run([sample('rasa/botfront_analytics_conversations_fallback.json')], { rasa: { fallback_actions: ['action_botfront_fallback'] } })).months['2019-11'].kpis;
    expect([configured.tool_failure_rate, configured.fallback_rate, configured.fallback_conversation_rate]).toEqual([null, 1, 1 / 4]);
  });

  it('Copilot Studio sample: one conversation from the Direct Line id', async () => {
    const { months } = await run([sample('copilot_studio/dataverse_conversationtranscripts_download.json')]);
    expect(months['2023-02'].kpis.conversations).toBe(1);
    expect(months['2023-02'].segments.channel).toHaveProperty('directline');
  });
});

describe('end to end: the fixtures', () => {
  it('OpenTelemetry: tool failures, errors, tasks, retrieval and reviews as worked out by hand', async () => {
    const { report, months } = await run([fixture('otel-support-bot.jsonl')]);
    expect([report.read, report.kept, report.duplicates, report.quarantined]).toEqual([18, 16, 0, 2]);
    expect(report.sources.otel).toMatchObject({ read: 16, mapped: 11, events: 16, skipped: 3, quarantined: 2 });
    const k = months['2026-03'].kpis;
    expect(k.conversations).toBe(3); // conv-1 (traces A and B), sess-9 (trace C), trace D
    expect([k.unique_users, k.anonymous_conversations]).toEqual([1, 2]);
    expect(k.tool_failure_rate).toBe(1); // lookup_order timed out
    expect(k.error_count).toBe(2); // the tool and the crashed agent
    expect(k.error_conversation_rate).toBeCloseTo(2 / 3, 12);
    expect(k.task_completion_rate).toBeCloseTo(2 / 3, 12); // two support-agent turns of conv-1 completed, sess-9's failed
    expect(k.retrieval_success_rate).toBe(1);
    expect(k.review_pass_rate).toBe(0.5); // relevance passed, faithfulness failed
    expect(k.latency_mean_ms).toBe((1200 + 1000 + 800 + 500) / 4);
    expect(k.tokens_per_conversation).toBeCloseTo((120 + 180 + 50 + 15) / 3, 12);
    expect(k.total_cost_usd).toBeCloseTo(0.003, 12);
    expect(k.escalation_rate).toBe(0);
    expect(months['2026-03'].coverage?.escalation_rate).toBe('no handoff events in any input');
    expect(months['2026-03'].breakdowns.tool).toEqual({ lookup_order: { count: 1, tool_failure_rate: 1 } });
    // What the pages show instead of the figure.
    const view = (id: string) => figureView([months['2026-03']], 0, kpiById(id)!, 'table').notMeasured;
    expect(['escalation_rate', 'resolution_rate', 'satisfaction_rate', 'tool_failure_rate'].map(view)).toEqual([
      'no handoff events in any input',
      'no resolved events in any input',
      'no feedback events in any input',
      null,
    ]);
  });

  it('Rasa: fallbacks, escalation, tasks, corrections and satisfaction as worked out by hand', async () => {
    const { report, months } = await run([fixture('rasa-trackers.json')], RASA);
    expect([report.read, report.kept, report.quarantined]).toEqual([30, 29, 1]);
    const k = months['2026-03'].kpis;
    expect(k.conversations).toBe(3); // alice's two sessions and bob's
    expect(k.fallback_rate).toBeCloseTo(3 / 7, 12);
    expect(k.fallback_conversation_rate).toBeCloseTo(2 / 3, 12);
    expect(k.escalation_rate).toBeCloseTo(2 / 3, 12); // alice's second session and bob's handed off, nothing resolved
    expect(k.containment_rate).toBeCloseTo(1 / 3, 12);
    expect(k.tool_failure_rate).toBe(0);
    expect(k.task_completion_rate).toBe(0.5); // transfer_money completed, update_address cancelled
    expect(k.correction_rate).toBeCloseTo(1 / 10, 12);
    expect(k.satisfaction_rate).toBe(1); // bob's 4 of 5 is 80%
    expect(k.feedback_response_rate).toBeCloseTo(1 / 3, 12);
    expect(k.latency_mean_ms).toBeCloseTo((500 + 300 + 1000 + 500 + 1000 + 500) / 6, 9);
    expect(months['2026-03'].coverage).toMatchObject({ resolution_rate: 'no resolved events in any input', total_cost_usd: 'Rasa trackers carry no cost' });
  });

  it('Copilot Studio: a HandOff session, a resolved one with CSAT and an error; test conversations left out', async () => {
    const { report, months } = await run([fixture('copilot-transcripts.json')]);
    expect([report.read, report.kept, report.quarantined]).toEqual([13, 12, 1]);
    const k = months['2026-03'].kpis;
    expect(k.conversations).toBe(2);
    expect([k.escalation_rate, k.resolution_rate, k.containment_rate, k.abandonment_rate]).toEqual([0.5, 0.5, 0.5, 0]);
    expect(k.satisfaction_rate).toBe(1);
    expect(k.error_count).toBe(1);
    expect(months['2026-03'].segments.intent).toHaveProperty('Escalate');
    expect(months['2026-03'].coverage?.latency_p50_ms).toBe('Copilot Studio transcripts carry no response times');
  });
});

describe('end to end: re-imports and mixed runs', () => {
  it('re-importing an export drops every event as a duplicate; an edited span becomes a conflict', async () => {
    const dir = tmpDir();
    const out = path.join(dir, 'snapshots');
    const text = fs.readFileSync(fixture('otel-support-bot.jsonl'), 'utf8');
    await snapshot([writeFile(dir, 'day1.jsonl', text)], { out, timezone: 'UTC', from: 'auto' });
    const again = await snapshot([writeFile(dir, 'again.jsonl', text + '\n')], { out, timezone: 'UTC', from: 'auto' });
    expect([again.read, again.kept, again.duplicates, again.quarantined]).toEqual([18, 0, 16, 2]);
    const edited = await snapshot([writeFile(dir, 'edited.jsonl', text.replace('"stringValue":"lookup_order"', '"stringValue":"lookup_orders"'))], { out, timezone: 'UTC', from: 'auto' });
    // The tool call and its error name the tool: both differ from the kept events.
    expect([edited.kept, edited.duplicates, edited.quarantined]).toEqual([0, 14, 4]);
    const conflicts = fs.readFileSync(path.join(out, 'quarantine.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((q) => q.source.endsWith('edited.jsonl') && q.reason.startsWith('event_id'));
    expect(conflicts).toHaveLength(2);
    expect(conflicts[0]).toMatchObject({ row: 2, raw: { spanId: 'a300000000000003', name: 'execute_tool lookup_order' } });
  });

  it('OpenTelemetry plus canonical NDJSON in one run is the sum of its parts', async () => {
    const otel = await run([fixture('otel-support-bot.jsonl')]);
    const canonical = await run([fixture('canonical-mixed.ndjson')]);
    const mixed = await run([fixture('otel-support-bot.jsonl'), fixture('canonical-mixed.ndjson')]);
    const sum = (f: (r: typeof otel) => number) => f(otel) + f(canonical);
    expect(mixed.report.kept).toBe(sum((r) => r.report.kept));
    expect(mixed.report.quarantined).toBe(sum((r) => r.report.quarantined));
    const m = mixed.months['2026-03'].kpis;
    const [o, c] = [otel.months['2026-03'].kpis, canonical.months['2026-03'].kpis];
    for (const kpi of ['conversations', 'unique_users', 'anonymous_conversations', 'error_count', 'total_cost_usd'] as const) expect(m[kpi], kpi).toBeCloseTo(o[kpi]! + c[kpi]!, 12);
    // Ratios: numerators and denominators add up (otel: 1 failed tool call of 1; canonical: 1 of 2).
    expect(m.tool_failure_rate).toBeCloseTo((1 + 1) / (1 + 2), 12);
    expect(m.escalation_rate).toBeCloseTo((0 + 1) / (3 + 3), 12);
    const types = (dir: string) => readManifest(dir)!.inputs.map((i) => i.event_types);
    const [ot] = types(otel.out);
    const [ct] = types(canonical.out);
    expect(types(mixed.out)).toEqual([ot, ct]);
    // Handoff, resolved and feedback come from the canonical export: measured; fallback flags too.
    const coverage = mixed.months['2026-03'].coverage ?? {};
    expect([coverage.escalation_rate, coverage.satisfaction_rate, coverage.fallback_rate]).toEqual([undefined, undefined, undefined]);
    expect(coverage.review_pass_rate).toBeUndefined();
    expect(readManifest(mixed.out)!.inputs.map((i) => [i.format, (i as { source?: { read: number } }).source?.read])).toEqual([
      ['otel', 16],
      ['ndjson', undefined],
    ]);
  });
});


describe('the command line', () => {
  it('snapshot prints one line per source format before the summary line; kpis prints the coverage', async () => {
    const dir = tmpDir();
    writeFile(dir, 'kpi-review.config.json', JSON.stringify({ adapters: RASA }));
    const r = await cli(['snapshot', fixture('otel-support-bot.jsonl'), fixture('rasa-trackers.json'), fixture('canonical-mixed.ndjson'), '--out', 'snap'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      'months written: 2026-03',
      'otel: 13 spans, 1 span event, 2 log records read: 11 mapped to 16 events, 3 skipped (create_agent 1, embeddings 1, nested invoke_agent 1), 2 quarantined',
      'rasa: 48 events read: 32 mapped to 29 events, 15 skipped (action_listen 6, session_started 4, flow_started 2, pattern flow_completed 1, slot 1, utter action 1), 1 quarantined',
      '62 events read, 59 kept, 0 duplicates dropped, 3 quarantined (see snap/quarantine.ndjson)',
    ]);
    const k = await cli(['kpis', '--snapshots', 'snap', '--period', '2026-03'], dir);
    expect(k.code).toBe(0);
    const doc = JSON.parse(k.stdout);
    expect(doc.coverage).toEqual({ availability: 'no health_check events in any input' });

    const only = await cli(['snapshot', fixture('otel-support-bot.jsonl'), '--out', 'otel-only'], dir);
    expect(only.code).toBe(0);
    const otelDoc = JSON.parse((await cli(['kpis', '--snapshots', 'otel-only', '--period', '2026-03'], dir)).stdout);
    expect(otelDoc.coverage).toMatchObject({ escalation_rate: 'no handoff events in any input', resolution_rate: 'no resolved events in any input', satisfaction_rate: 'no feedback events in any input' });
  });

  it('--from names the format; an ambiguous or unknown input is a one-line error asking for it', async () => {
    const dir = tmpDir();
    writeFile(dir, 'traces.log', fs.readFileSync(fixture('otel-support-bot.jsonl')));
    writeFile(dir, 'both.json', JSON.stringify({ resourceSpans: [], sender_id: 's', events: [] }) + '\n');
    const named = await cli(['snapshot', 'traces.log', '--from', 'otel', '--out', 's1'], dir);
    expect(named.code).toBe(0);
    expect(named.stdout).toContain('otel: 13 spans');
    const ambiguous = await cli(['snapshot', 'both.json', '--out', 's2'], dir);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr.trim()).toBe('kpi-review: both.json: looks like OpenTelemetry (otel) and Rasa tracker (rasa); name its format with --from otel|rasa');
    const bad = await cli(['snapshot', 'both.json', '--from', 'lex', '--out', 's3'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--from lex: expected auto, otel, rasa, copilot-studio, canonical');
  });
});
