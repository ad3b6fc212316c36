import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load.ts';
import { UserError } from '../../src/errors.ts';
import type { Results } from '../../src/kpi/results.ts';
import { doc } from '../helpers/documents.ts';

const results: Results = {
  timezone: 'UTC',
  latestTs: '2026-06-30T00:00:00Z',
  dataHash: 'x',
  cadences: { week: [], month: [doc({ period: '2026-05', cadence: 'month' }), doc({ period: '2026-06', cadence: 'month' })], quarter: [] },
};

const REVIEW = `---
title: May
status: final
authors: [Dana]
summary: What moved.
primary_kpi: resolution_rate
actions:
  - title: Fix billing
    owner: Sam
    kpi: fallback_rate
    expected: { direction: down, size: 3, unit: pp, segment: "intent: billing" }
---

Resolution was <Kpi id="resolution_rate" />.
<KpiChart id="fallback_rate" by="intent" />
`;

function contentWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kpi-content-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

function failure(files: Record<string, string>): string {
  const dir = contentWith(files);
  try {
    loadContent(dir, results);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message.replace(dir + path.sep, '');
  }
  throw new Error('expected a UserError');
}

describe('loading reviews and annotations', () => {
  it('reads valid reviews and annotations', () => {
    const dir = contentWith({
      'reviews/month/2026-05.mdx': REVIEW,
      'annotations/model.md': '---\ndate: 2026-05-04\nkind: model\ntitle: New model\n---\nThe model changed.\n',
    });
    const content = loadContent(dir, results);
    expect(content.reviews.map((r) => [r.cadence, r.period, r.data.title])).toEqual([['month', '2026-05', 'May']]);
    expect(content.annotations).toMatchObject([{ id: 'model', date: '2026-05-04', kind: 'model', description: 'The model changed.' }]);
  });

  it('names the file, the key and what is allowed', () => {
    expect(failure({ 'reviews/month/2026-05.mdx': REVIEW.replace('primary_kpi: resolution_rate', 'primary_kpi: resoluton_rate') })).toMatch(
      /^reviews\/month\/2026-05\.mdx: key "primary_kpi": unknown KPI id "resoluton_rate"; allowed: conversations, /,
    );
    expect(failure({ 'reviews/month/2026-05.mdx': REVIEW.replace('summary:', 'sumary:') })).toMatch(/^reviews\/month\/2026-05\.mdx: unknown key "sumary"/);
    expect(failure({ 'reviews/month/2026-05.mdx': REVIEW.replace('kpi: fallback_rate', 'kpi: fallback') })).toMatch(/key "actions\.0\.kpi": unknown KPI id "fallback"/);
    expect(failure({ 'annotations/x.md': '---\ndate: 2026-02-30\nkind: model\ntitle: X\n---\n' })).toMatch(/^annotations\/x\.md: key "date": expected a date like 2026-05-04/);
    expect(failure({ 'annotations/x.md': '---\ndate: 2026-02-03\nkind: deploy\ntitle: X\n---\n' })).toMatch(/key "kind": unknown kind "deploy"; allowed: prompt, model, /);
  });

  it('refuses a review for a period with no data, or in the wrong place', () => {
    expect(failure({ 'reviews/month/2026-09.mdx': REVIEW })).toBe('reviews/month/2026-09.mdx: month 2026-09 has no data (the months run 2026-05 … 2026-06); rename the file or add the data');
    expect(failure({ 'reviews/month/2026-13.mdx': REVIEW })).toMatch(/"2026-13" is not a month label/);
    expect(failure({ 'reviews/monthly/2026-05.mdx': REVIEW })).toMatch(/reviews live in reviews\/<cadence>\/<period>\.mdx/);
  });

  it('checks the components\' ids and dimensions, with the line', () => {
    expect(failure({ 'reviews/month/2026-05.mdx': REVIEW.replace('<Kpi id="resolution_rate" />', '<Kpi id="resolution" />') })).toMatch(/2026-05\.mdx: line 14: <Kpi id="resolution">: unknown KPI id/);
    expect(failure({ 'reviews/month/2026-05.mdx': REVIEW.replace('by="intent"', 'by="topic"') })).toMatch(/line 15: <KpiChart by="topic">: unknown dimension/);
  });

  it('reports YAML syntax errors and missing frontmatter', () => {
    expect(failure({ 'reviews/month/2026-05.mdx': REVIEW.replace('authors: [Dana]', 'authors: [Dana') })).toMatch(/frontmatter is not valid YAML/);
    expect(failure({ 'reviews/month/2026-05.mdx': 'Just text' })).toMatch(/no frontmatter/);
  });
});
