import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeCodeChange, periodChange, SEGMENT_CHANGES_SHOWN, sameFigure } from '../../src/publish/changes.ts';
import type { Publication } from '../../src/publish/publication.ts';
import { changesView, footerView, versionRows } from '../../src/publish/view.ts';
import { SITE_DATA_ENV } from '../../src/site/data.ts';
import { doc } from '../helpers/documents.ts';
import { tempDir } from './helpers.ts';

describe('figure changes between two versions of a period', () => {
  it('ignores floating-point noise but not a real change', () => {
    expect(sameFigure(0.1 + 0.2, 0.3)).toBe(true);
    expect(sameFigure(1234.5, 1234.5001)).toBe(false);
    expect(sameFigure(0.7, 0.7000001)).toBe(false);
    expect(sameFigure(null, null)).toBe(true);
    expect(sameFigure(null, 0)).toBe(false);
  });

  it('lists KPI and segment figures that moved, segment values that appeared, and a partial period completed', () => {
    const before = doc({ cadence: 'month', period: '2026-05', partial: true, kpis: { conversations: 100, resolution_rate: 0.7 }, segments: { intent: { billing: { conversations: 40 } } } });
    const after = doc({
      cadence: 'month',
      period: '2026-05',
      kpis: { conversations: 120, resolution_rate: 0.7 },
      segments: { intent: { billing: { conversations: 40 }, refunds: { conversations: 20 } } },
    });
    const change = periodChange(JSON.parse(JSON.stringify(before)), after)!;
    expect(change.partial).toEqual({ before: true, after: false });
    expect(change.kpis).toEqual([{ kpi: 'conversations', before: 100, after: 120 }]);
    expect(change.segments).toEqual([{ kpi: 'conversations', before: null, after: 20, dimension: 'intent', segment: 'refunds' }]);
    expect(periodChange(before, before)).toBeNull();
  });

  it('keeps the list of segment figures short but counts them all', () => {
    const values = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`v${i}`, { conversations: i, resolution_rate: 0.5 }]));
    const moved = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`v${i}`, { conversations: i + 1, resolution_rate: 0.6 }]));
    const change = periodChange(doc({ segments: { intent: values } }), doc({ segments: { intent: moved } }))!;
    expect(change.segmentCount).toBe(60);
    expect(change.segments).toHaveLength(SEGMENT_CHANGES_SHOWN);
  });
});

describe('why the code part of a version changed', () => {
  const a = 'a1b2c3d'.padEnd(40, '0');
  const b = 'e4f5a6b'.padEnd(40, '0');
  const clean = (commit: string) => ({ commit, clean: true });
  const dirty = (commit: string) => ({ commit, clean: false });
  const outside = { commit: null, clean: false };
  it.each([
    [clean(a), clean(b), false, "the project moved from commit a1b2c3d to e4f5a6b; kpi-review's own source files are the same"],
    [clean(a), clean(b), true, "kpi-review's source files changed; the project moved from commit a1b2c3d to e4f5a6b"],
    [clean(a), dirty(a), false, "the project has uncommitted changes on top of commit a1b2c3d, so no commit identifies this version; kpi-review's own source files are the same"],
    [dirty(a), dirty(a), true, "kpi-review's source files changed; the project has uncommitted changes on top of commit a1b2c3d, so no commit identifies this version"],
    [dirty(a), clean(a), false, "the project is at commit a1b2c3d with nothing uncommitted; kpi-review's own source files are the same"],
    [clean(a), clean(a), false, "the dependencies changed (package-lock.json); kpi-review's own source files are the same"],
    [clean(a), clean(b), null, 'the project moved from commit a1b2c3d to e4f5a6b'],
    [outside, outside, true, "kpi-review's source files changed; the project is not a git checkout"],
    [outside, outside, false, 'the lock file changed; the project is not a git checkout'],
    [outside, outside, null, "kpi-review's source files or the lock file changed; the project is not a git checkout"],
  ] as const)('%o → %o, source changed: %s', (before, after, source, text) => {
    expect(describeCodeChange({ before, after, source })).toBe(text);
  });
});

describe('links between the places of the published tree', () => {
  const dir = tempDir('kpi-view-');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const periods = { week: { count: 0, first: null, last: null }, month: { count: 2, first: '2026-01', last: '2026-02' }, quarter: { count: 1, first: '2026-Q1', last: '2026-Q1' } };
  const versions = [
    { id: '2026-11-24T060000Z-aaaaaaaa', created: '2026-11-24T06:00:00.000Z', git_commit: null, git_clean: false, periods, final_reviews: ['month/2026-01'] },
    { id: '2026-11-25T060000Z-bbbbbbbb', created: '2026-11-25T06:00:00.000Z', git_commit: 'c0ffee'.repeat(6) + 'c0ff', git_clean: true, periods, final_reviews: [] },
  ];
  const changes: Publication['changes'] = {
    previous: { id: versions[0].id, created: versions[0].created },
    causes: { months: { added: [], changed: ['2026-02'], removed: [] }, kpiReviewVersion: null, code: null, config: false },
    periods: { added: [], removed: [] },
    figures: [{ cadence: 'month', period: '2026-02', kpis: [{ kpi: 'resolution_rate', before: 0.7, after: 0.72 }], segments: [], segmentCount: 0 }],
    reviews: { added: [], changed: ['month/2026-01'], removed: [] },
  };
  const use = (location: Publication['location'], keep = versions) => {
    const file = path.join(dir, `${location}-${keep.length}.json`);
    const publication: Publication = { location, version: location === 'plain' ? null : versions[1].id, builtAt: versions[1].created, versions: keep, changes: location === 'plain' ? null : changes };
    fs.writeFileSync(file, JSON.stringify({ publication }));
    process.env[SITE_DATA_ENV] = file;
  };

  it('in a version: the permalink is the page itself, latest is up and over', () => {
    use('version');
    expect(footerView('/month/2026-02/')).toMatchObject({
      location: 'version',
      permalink: './',
      latest: '../../../../latest/month/2026-02/',
      versions: '../../../../latest/versions/',
      changes: '../../changes/',
    });
  });

  it('in latest: the permalink points into v/<id>/', () => {
    use('latest');
    expect(footerView('/')).toMatchObject({ permalink: `../v/${versions[1].id}/`, latest: './' });
    expect(footerView('/month/2026-02/')?.permalink).toBe(`../../../v/${versions[1].id}/month/2026-02/`);
  });

  it('lists versions newest first with links that stay inside the tree', () => {
    use('latest');
    const rows = versionRows('/versions/');
    expect(rows.map((r) => r.id)).toEqual([versions[1].id, versions[0].id]);
    expect(rows[0]).toMatchObject({ current: true, home: `../../v/${versions[1].id}/`, commit: 'c0ffeec0ffee', dirty: false, covers: '2 months (2026-01 … 2026-02), 1 quarter (2026-Q1)' });
    expect(rows[1].finals).toEqual([{ label: 'month 2026-01', href: `../../v/${versions[0].id}/month/2026-01/` }]);
  });

  it('does not link to a version retention removed', () => {
    use('latest', [versions[1]]);
    const view = changesView('/changes/')!;
    expect(view.previous).toMatchObject({ id: versions[0].id, href: null });
    expect(view.figures[0].periods[0]).toMatchObject({ href: '../month/2026-02/', previous: null });
  });

  it('says why figures moved and links each changed figure to its anchor', () => {
    use('version');
    const view = changesView('/changes/')!;
    expect(view.causes).toEqual(['Late-arriving or corrected data: the snapshot of 2026-02 changed.']);
    expect(view.reviews.changed).toEqual([{ label: 'month 2026-01', href: '../month/2026-01/' }]);
    expect(view.figures[0].periods[0].kpis[0]).toMatchObject({ href: '../month/2026-02/#resolution_rate', before: '70.0%', after: '72.0%', change: '+2.0 pts' });
    expect(view.figures[0].periods[0].previous).toBe(`../../${versions[0].id}/month/2026-02/`);
  });

  it('says how the code changed when only the project\'s commit moved', () => {
    const commit = (c: string) => c.repeat(40 / c.length);
    const moved: Publication['changes'] = { ...changes, causes: { ...changes.causes, months: { added: [], changed: [], removed: [] }, code: { before: { commit: commit('a'), clean: true }, after: { commit: commit('b'), clean: true }, source: false } } };
    const file = path.join(dir, 'code.json');
    fs.writeFileSync(file, JSON.stringify({ publication: { location: 'version', version: versions[1].id, builtAt: versions[1].created, versions, changes: moved } }));
    process.env[SITE_DATA_ENV] = file;
    expect(changesView('/changes/')!.causes).toEqual(["The code's identity changed: the project moved from commit aaaaaaa to bbbbbbb; kpi-review's own source files are the same."]);
  });

  it('shows nothing of versions in a plain build', () => {
    use('plain');
    expect(footerView('/')).toBeNull();
    expect(changesView('/changes/')).toBeNull();
    expect(versionRows('/versions/')).toEqual([]);
  });
});
