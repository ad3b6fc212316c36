import { describe, expect, it } from 'vitest';
import { annotationSchema, parseSegment, reviewSchema } from '../../src/content/schema.ts';

const review = (over: Record<string, unknown> = {}) => ({
  title: 'May review',
  status: 'final',
  authors: ['Dana'],
  summary: 'What moved.',
  primary_kpi: 'resolution_rate',
  ...over,
});
const action = (over: Record<string, unknown> = {}) => ({ title: 'Fix it', owner: 'Sam', kpi: 'fallback_rate', expected: { direction: 'down' }, ...over });
const issues = (value: unknown) => {
  const r = reviewSchema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('review frontmatter', () => {
  it('accepts a complete review and fills causes and actions', () => {
    const r = reviewSchema.parse(review());
    expect(r.causes).toEqual([]);
    expect(r.actions).toEqual([]);
    expect(issues(review({ causes: ['a', 'b', 'c'], actions: [action({ expected: { direction: 'up', size: 2, unit: 'pp', segment: 'intent: billing' } })] }))).toEqual([]);
  });

  it.each(['title', 'status', 'authors', 'summary', 'primary_kpi'])('requires %s', (key) => {
    const value = review();
    delete (value as Record<string, unknown>)[key];
    expect(issues(value).some((i) => i.startsWith(`${key}:`))).toBe(true);
  });

  it('rejects a status other than draft or final', () => expect(issues(review({ status: 'published' }))[0]).toMatch(/^status:/));
  it('rejects an empty author list', () => expect(issues(review({ authors: [] }))[0]).toMatch(/^authors:/));
  it('rejects an unknown KPI id, listing the allowed ones', () => expect(issues(review({ primary_kpi: 'resoluton_rate' }))[0]).toMatch(/^primary_kpi: unknown KPI id "resoluton_rate"; allowed: conversations, /));
  it('allows at most three causes', () => expect(issues(review({ causes: ['a', 'b', 'c', 'd'] }))[0]).toBe('causes: at most three causes'));
  it('rejects a misspelled key', () => expect(issues(review({ primary_kpis: 'x' }))[0]).toContain('primary_kpis'));

  it.each([
    [{ title: undefined }, 'actions.0.title'],
    [{ owner: undefined }, 'actions.0.owner'],
    [{ kpi: 'nope' }, 'actions.0.kpi'],
    [{ expected: { direction: 'sideways' } }, 'actions.0.expected.direction'],
    [{ expected: { direction: 'up', size: 3 } }, 'actions.0.expected'],
    [{ expected: { direction: 'up', size: -1, unit: 'pp' } }, 'actions.0.expected.size'],
    [{ expected: { direction: 'up', size: 1, unit: 'points' } }, 'actions.0.expected.unit'],
    [{ expected: { direction: 'up', segment: 'billing' } }, 'actions.0.expected.segment'],
    [{ expected: { direction: 'up', segment: 'topic: billing' } }, 'actions.0.expected.segment'],
    [{ expected: { direction: 'up', by: 3 } }, 'actions.0.expected'],
    [{ due: '2026-06-01' }, 'actions.0'],
  ])('rejects a bad action %j at %s', (over, path) => {
    expect(issues(review({ actions: [action(over)] })).some((i) => i.startsWith(`${path}:`))).toBe(true);
  });
});

describe('segment scopes', () => {
  it('parses "<dimension>: <value>" for known dimensions only', () => {
    expect(parseSegment('intent: billing')).toEqual({ dimension: 'intent', value: 'billing' });
    expect(parseSegment('user_cohort:returning')).toEqual({ dimension: 'user_cohort', value: 'returning' });
    expect(parseSegment('topic: billing')).toBeUndefined();
    expect(parseSegment('billing')).toBeUndefined();
  });
});

describe('annotation frontmatter', () => {
  const note = (over: Record<string, unknown> = {}) => ({ date: '2026-05-04', kind: 'model', title: 'New model', ...over });
  it('accepts dates, date-times with offsets and YAML dates', () => {
    expect(annotationSchema.parse(note()).date).toBe('2026-05-04');
    expect(annotationSchema.parse(note({ date: '2026-05-04T09:30:00+02:00' })).date).toBe('2026-05-04T09:30:00+02:00');
    expect(annotationSchema.parse(note({ date: new Date('2026-05-04T00:00:00Z') })).date).toBe('2026-05-04');
  });
  it.each(['2026-02-30', '04/05/2026', '2026-05-04T09:30:00', 'yesterday'])('rejects the malformed date %s', (date) => {
    expect(annotationSchema.safeParse(note({ date })).success).toBe(false);
  });
  it('rejects an unknown kind, a missing title, a bad segment and an unknown key', () => {
    expect(annotationSchema.safeParse(note({ kind: 'deploy' })).success).toBe(false);
    expect(annotationSchema.safeParse(note({ title: undefined })).success).toBe(false);
    expect(annotationSchema.safeParse(note({ segment: 'nope' })).success).toBe(false);
    expect(annotationSchema.safeParse(note({ titel: 'x' })).success).toBe(false);
    expect(annotationSchema.safeParse(note({ kind: 'knowledge_base', segment: 'channel: whatsapp', description: 'd' })).success).toBe(true);
  });
});
