/**
 * What each platform format can never tell, as the coverage of the KPI export reports it (src/kpi/coverage.ts):
 * a field its adapter never sets, with the reason a reader sees. Canonical exports can carry every field.
 */
export type CoverageField = 'fallback' | 'correction' | 'latency_ms' | 'cost_usd' | 'tokens';

export const FIELD_GAPS: Record<string, Partial<Record<CoverageField, string>>> = {
  otel: {
    fallback: 'OpenTelemetry traces do not mark fallback answers',
    correction: 'OpenTelemetry traces do not mark corrections',
  },
  rasa: {
    cost_usd: 'Rasa trackers carry no cost',
    tokens: 'Rasa trackers carry no token counts',
  },
  'copilot-studio': {
    fallback: 'Copilot Studio transcripts do not mark fallback answers',
    correction: 'Copilot Studio transcripts do not mark corrections',
    latency_ms: 'Copilot Studio transcripts carry no response times',
    cost_usd: 'Copilot Studio transcripts carry no cost',
    tokens: 'Copilot Studio transcripts carry no token counts',
  },
};

/**
 * Event types a format records whenever they happen, so that none in its data means none happened (a measured
 * zero): every failing GenAI span becomes an `error`.
 */
export const RECORDED_WHEN_ABSENT: Record<string, readonly string[]> = {
  otel: ['error'],
};
