import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { mdxText, scaffoldReview } from '../../src/content/scaffold.ts';
import { reviewSchema } from '../../src/content/schema.ts';
import { doc } from '../helpers/documents.ts';

const months = [
  doc({ period: '2026-05', cadence: 'month', kpis: { conversations: 100, resolution_rate: 0.6, fallback_rate: 0.1 }, segments: { intent: { billing: { conversations: 50, fallback_rate: 0.1 } } } }),
  doc({
    period: '2026-06',
    cadence: 'month',
    kpis: { conversations: 120, resolution_rate: 0.5, escalation_rate: 0.3, fallback_rate: 0.2, satisfaction_rate: 0.7 },
    previous: { conversations: 100, resolution_rate: 0.6, fallback_rate: 0.1 },
    segments: { intent: { '<b>billing</b>': { conversations: 60, fallback_rate: 0.3 } } },
  }),
];
const previousReview = reviewSchema.parse({
  title: 'May',
  status: 'final',
  authors: ['Dana'],
  summary: 's',
  primary_kpi: 'fallback_rate',
  actions: [{ title: 'Recalibrate {the} bar', owner: 'Sam', kpi: 'fallback_rate', expected: { direction: 'down', size: 3, unit: 'pp' } }],
});

describe('new-review scaffolding', () => {
  const text = scaffoldReview(months, 1, previousReview);
  const frontmatter = yaml.load(text.split('---')[1]);

  it('writes a valid draft review', () => {
    const review = reviewSchema.parse(frontmatter);
    expect(review.status).toBe('draft');
    expect(review.title).toBe('Monthly review 2026-06');
  });

  it('prefills the headline figures, the interpretation notes and last period\'s actions with their verdict', () => {
    expect(text).toContain('- <Kpi id="conversations" /> — 120 (+20.0%) when this file was written');
    expect(text).toContain('- <Kpi id="resolution_rate" /> — 50.0% (-10.0 pts)');
    expect(text).toContain('## How to read it');
    expect(text).toContain('More fallback answers');
    expect(text).toContain('Recalibrate &#123;the&#125; bar (Sam): Fallback rate 10.0% → 20.0%: **not met** (up 10.0 points, expected down 3 points or more).');
  });

  it('makes values from the data inert in MDX', () => {
    expect(mdxText('<b>{x}</b> & y')).toBe('&#60;b&#62;&#123;x&#125;&#60;/b&#62; &#38; y');
    expect(text).not.toContain('<b>billing</b>');
  });

  it('leaves the actions section out when the previous period has no review', () => {
    expect(scaffoldReview(months, 1, undefined)).not.toContain("## Last month's actions");
  });
});
