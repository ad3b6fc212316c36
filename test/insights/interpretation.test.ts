import { describe, expect, it } from 'vitest';
import { INTERPRETATION_THRESHOLDS, interpretationNotes } from '../../src/insights/index.ts';
import type { Figures } from '../../src/kpi/results.ts';
import { doc, type DocOptions } from '../helpers/documents.ts';

/** A period moving from `before` to `after`. */
const moving = (before: Partial<Figures>, after: Partial<Figures>, extra: DocOptions = {}) => doc({ previous: before, kpis: after, ...extra });
const ids = (before: Partial<Figures>, after: Partial<Figures>) => interpretationNotes(moving(before, after)).map((n) => n.id);

describe('interpretationNotes', () => {
  it('says nothing for a first period or when nothing moved', () => {
    expect(interpretationNotes(doc({ kpis: { conversations: 100, fallback_rate: 0.5 } }))).toEqual([]);
    expect(ids({ conversations: 100, resolution_rate: 0.6 }, { conversations: 100, resolution_rate: 0.6 })).toEqual([]);
  });

  describe('volume up', () => {
    it('with worse outcomes: names the outcomes that got worse', () => {
      const [note] = interpretationNotes(
        moving(
          { conversations: 100, resolution_rate: 0.6, escalation_rate: 0.2, latency_p90_ms: 1000 },
          { conversations: 120, resolution_rate: 0.55, escalation_rate: 0.21, latency_p90_ms: 1250 },
        ),
      );
      expect(note.id).toBe('volume-up-outcomes-worse');
      expect(note.text).toMatch(/^Conversations rose 20% while resolution rate fell 5 points and latency p90 rose 25%\. /);
      expect(note.figures).toEqual([
        { kpi: 'conversations', current: 120, previous: 100, delta: 20 },
        { kpi: 'resolution_rate', current: 0.55, previous: 0.6, delta: 0.55 - 0.6 },
        { kpi: 'latency_p90_ms', current: 1250, previous: 1000, delta: 250 },
      ]);
    });

    it('with stable outcomes: usually healthy', () => {
      const notes = interpretationNotes(moving({ conversations: 100, resolution_rate: 0.6, escalation_rate: 0.2 }, { conversations: 110, resolution_rate: 0.59, escalation_rate: 0.1 }));
      expect(notes.map((n) => n.id)).toEqual(['volume-up-outcomes-stable']);
      expect(notes[0].text).toMatch(/^Conversations rose 10% while resolution rate and escalation rate did not get worse\. /);
    });

    it('not below a 10% rise, nor without any outcome to compare', () => {
      expect(ids({ conversations: 100, resolution_rate: 0.6 }, { conversations: 109, resolution_rate: 0.3 })).toEqual([]);
      expect(ids({ conversations: 100 }, { conversations: 200 })).toEqual([]);
      expect(ids({ conversations: 0, resolution_rate: null }, { conversations: 50, resolution_rate: 0.5 })).toEqual([]);
    });
  });

  it('containment up while satisfaction down', () => {
    const notes = interpretationNotes(moving({ containment_rate: 0.7, satisfaction_rate: 0.8 }, { containment_rate: 0.72, satisfaction_rate: 0.75 }));
    expect(notes.map((n) => n.id)).toEqual(['containment-up-satisfaction-down']);
    expect(notes[0].text).toMatch(/^Containment rate rose 2 points while satisfaction fell 5 points\. .*transfer logic/);
    expect(notes[0].figures.map((f) => f.kpi)).toEqual(['containment_rate', 'satisfaction_rate']);
    expect(ids({ containment_rate: 0.7, satisfaction_rate: 0.8 }, { containment_rate: 0.72, satisfaction_rate: 0.79 })).toEqual([]);
    expect(ids({ containment_rate: 0.7, satisfaction_rate: 0.8 }, { containment_rate: 0.71, satisfaction_rate: 0.7 })).toEqual([]);
  });

  describe('fallback up', () => {
    const segments = (billing: number, orders: number, rare: number, web: number) => ({
      intent: {
        billing: { conversations: 40, fallback_rate: billing },
        orders: { conversations: 200, fallback_rate: orders },
        rare: { conversations: 29, fallback_rate: rare },
      },
      channel: { web: { conversations: 269, fallback_rate: web } },
    });
    const before = doc({ kpis: { fallback_rate: 0.1 }, segments: segments(0.1, 0.1, 0.1, 0.1) });
    const after = moving({ fallback_rate: 0.1 }, { fallback_rate: 0.125 }, { segments: segments(0.18, 0.11, 0.9, 0.125) });

    it('names the intent and channel with the largest increase, among values with enough conversations', () => {
      const [note] = interpretationNotes(after, before);
      expect(note.id).toBe('fallback-up');
      expect(note.text).toMatch(/^Fallback rate rose 2\.5 points\. .*intent, channel and release date/);
      expect(note.text).toMatch(/Largest increases: intent “billing” \(up 8 points\) and channel “web” \(up 2\.5 points\)\.$/);
      expect(note.figures.map((f) => f.segment ?? null)).toEqual([null, { dimension: 'intent', value: 'billing' }, { dimension: 'channel', value: 'web' }]);
    });

    it('names no segment without the previous document, or when no segment rose', () => {
      expect(interpretationNotes(after)[0].text).not.toMatch(/Largest/);
      const flatSegments = moving({ fallback_rate: 0.1 }, { fallback_rate: 0.125 }, { segments: segments(0.1, 0.1, 0.9, 0.1) });
      expect(interpretationNotes(flatSegments, before)[0].figures).toHaveLength(1);
    });

    it('not below 2 points', () => {
      expect(ids({ fallback_rate: 0.1 }, { fallback_rate: 0.119 })).toEqual([]);
    });
  });

  describe('satisfaction down while technical metrics are stable', () => {
    it('fires when latency and errors did not get worse', () => {
      const notes = interpretationNotes(
        moving({ satisfaction_rate: 0.8, latency_p90_ms: 1000, error_conversation_rate: 0.05 }, { satisfaction_rate: 0.75, latency_p90_ms: 1050, error_conversation_rate: 0.03 }),
      );
      expect(notes.map((n) => n.id)).toEqual(['satisfaction-down-technical-stable']);
      expect(notes[0].text).toMatch(/^Satisfaction fell 5 points while latency p90 and conversations with an error did not get worse: .*content quality/);
    });

    it('not when a technical metric got worse, or none is known', () => {
      expect(ids({ satisfaction_rate: 0.8, latency_p90_ms: 1000 }, { satisfaction_rate: 0.75, latency_p90_ms: 1100 })).toEqual([]);
      expect(ids({ satisfaction_rate: 0.8, error_conversation_rate: 0.05 }, { satisfaction_rate: 0.75, error_conversation_rate: 0.07 })).toEqual([]);
      expect(ids({ satisfaction_rate: 0.8 }, { satisfaction_rate: 0.5 })).toEqual([]);
    });
  });

  describe('cost rising faster than usage', () => {
    it('points at tokens per conversation and cost per resolved conversation', () => {
      const notes = interpretationNotes(
        moving(
          { total_cost_usd: 100, conversations: 100, tokens_per_conversation: 1000, cost_per_resolved_usd: 2 },
          { total_cost_usd: 130, conversations: 110, tokens_per_conversation: 1200, cost_per_resolved_usd: 2.5 },
        ),
      );
      expect(notes.map((n) => n.id)).toContain('cost-ahead-of-volume');
      const note = notes.find((n) => n.id === 'cost-ahead-of-volume')!;
      expect(note.text).toMatch(/^Total cost rose 30% while conversations rose 10%\. Look at tokens per conversation \(rose 20%\), longer conversation paths/);
      expect(note.text).toMatch(/Cost per resolved conversation \(rose 25%\) is more revealing than total spend\.$/);
      expect(note.figures.map((f) => f.kpi)).toEqual(['total_cost_usd', 'conversations', 'tokens_per_conversation', 'cost_per_resolved_usd']);
    });

    it('also when volume fell; not when cost kept pace or barely rose', () => {
      expect(ids({ total_cost_usd: 100, conversations: 100 }, { total_cost_usd: 110, conversations: 80 })).toEqual(['cost-ahead-of-volume']);
      expect(ids({ total_cost_usd: 100, conversations: 100 }, { total_cost_usd: 119, conversations: 110 })).toEqual([]);
      expect(ids({ total_cost_usd: 100, conversations: 100 }, { total_cost_usd: 109, conversations: 50 })).toEqual([]);
      expect(ids({ total_cost_usd: 0, conversations: 100 }, { total_cost_usd: 10, conversations: 100 })).toEqual([]);
    });
  });

  it('escalation down sharply while abandonment up', () => {
    const notes = interpretationNotes(
      moving({ escalation_rate: 0.3, abandonment_rate: 0.1, resolution_rate: 0.6 }, { escalation_rate: 0.24, abandonment_rate: 0.13, resolution_rate: 0.63 }),
    );
    expect(notes.map((n) => n.id)).toEqual(['escalation-down-abandonment-up']);
    expect(notes[0].text).toMatch(/^Escalation rate fell 6 points while abandonment rate rose 3 points: users may be leaving instead of reaching a person\./);
    expect(notes[0].figures.map((f) => f.kpi)).toEqual(['escalation_rate', 'abandonment_rate', 'resolution_rate']);
    expect(ids({ escalation_rate: 0.3, abandonment_rate: 0.1 }, { escalation_rate: 0.26, abandonment_rate: 0.14 })).toEqual([]);
    expect(ids({ escalation_rate: 0.3, abandonment_rate: 0.1 }, { escalation_rate: 0.2, abandonment_rate: 0.11 })).toEqual([]);
  });

  it('marks the notes of a partial period, keeps the article order, and takes other thresholds', () => {
    const busy = moving(
      { conversations: 100, resolution_rate: 0.6, escalation_rate: 0.3, abandonment_rate: 0.1 },
      { conversations: 150, resolution_rate: 0.6, escalation_rate: 0.2, abandonment_rate: 0.2 },
      { partial: true },
    );
    const notes = interpretationNotes(busy);
    expect(notes.map((n) => [n.id, n.partial])).toEqual([
      ['volume-up-outcomes-stable', true],
      ['escalation-down-abandonment-up', true],
    ]);
    expect(interpretationNotes(busy, null, { thresholds: { ...INTERPRETATION_THRESHOLDS, relativeShift: 0.6 } }).map((n) => n.id)).toEqual(['escalation-down-abandonment-up']);
  });
});
