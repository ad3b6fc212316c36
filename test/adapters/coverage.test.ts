import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../src/data/schema.ts';
import { coverageOf, goalCoverage } from '../../src/kpi/coverage.ts';

const types = (...names: string[]) => Object.fromEntries(names.map((n) => [n, 3]));

describe('coverage: the KPIs the sources cannot measure', () => {
  it('an OpenTelemetry-only export: no handoff, resolved or feedback, no fallback flags; errors are measured even when none occurred', () => {
    const coverage = coverageOf([{ format: 'otel', event_types: types('conversation_started', 'bot_message', 'tool_call', 'task') }]);
    expect(coverage).toEqual({
      containment_rate: 'no handoff events in any input',
      escalation_rate: 'no handoff events in any input',
      resolution_rate: 'no resolved events in any input',
      abandonment_rate: 'no resolved or handoff events in any input',
      fallback_rate: 'OpenTelemetry traces do not mark fallback answers',
      fallback_conversation_rate: 'OpenTelemetry traces do not mark fallback answers',
      retrieval_success_rate: 'no retrieval events in any input',
      satisfaction_rate: 'no feedback events in any input',
      feedback_response_rate: 'no feedback events in any input',
      correction_rate: 'no user_message events in any input',
      review_pass_rate: 'no review events in any input',
      timeout_rate: 'no timeout events in any input',
      availability: 'no health_check events in any input',
      cost_per_resolved_usd: 'no resolved events in any input',
      deflection_value_usd: 'no resolved events in any input',
    });
  });

  it('goal rates: not measured when no input has a goal event at all, measured (zero or not) otherwise', () => {
    expect(goalCoverage([{ format: 'otel', event_types: types('bot_message', 'tool_call') }])).toBe('no goal events in any input');
    expect(goalCoverage([{ format: 'otel', event_types: types('bot_message') }, { format: 'ndjson', event_types: types('goal') }])).toBeNull();
  });

  it('another source that provides the events makes the KPI measured', () => {
    const coverage = coverageOf([
      { format: 'otel', event_types: types('bot_message', 'tool_call') },
      { format: 'ndjson', event_types: types('bot_message', 'handoff', 'resolved', 'feedback') },
    ]);
    expect(coverage.escalation_rate).toBeUndefined();
    expect(coverage.satisfaction_rate).toBeUndefined();
    // The canonical export's bot messages can carry fallback flags.
    expect(coverage.fallback_rate).toBeUndefined();
    expect(coverage.review_pass_rate).toBe('no review events in any input');
  });

  it('Rasa and Copilot Studio: what their exports never carry', () => {
    expect(coverageOf([{ format: 'rasa', event_types: types('user_message', 'bot_message', 'handoff') }])).toMatchObject({
      total_cost_usd: 'Rasa trackers carry no cost',
      tokens_per_conversation: 'Rasa trackers carry no token counts',
      satisfaction_rate: 'no feedback events in any input',
      error_count: 'no error events in any input',
    });
    const copilot = coverageOf([{ format: 'copilot-studio', event_types: types('user_message', 'bot_message', 'handoff', 'resolved', 'feedback') }]);
    expect(copilot.latency_p50_ms).toBe('Copilot Studio transcripts carry no response times');
    expect(copilot.correction_rate).toBe('Copilot Studio transcripts do not mark corrections');
    expect(copilot.escalation_rate).toBeUndefined();
  });

  it('data with every event type from canonical exports (the conformance kit) is fully measured', () => {
    expect(coverageOf([{ format: 'ndjson', event_types: types(...EVENT_TYPES) }])).toEqual({});
    expect(coverageOf([{ format: 'csv', event_types: types(...EVENT_TYPES) }, { format: 'otel', event_types: types('bot_message') }])).toEqual({});
  });
});
