import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseKeep } from '../../src/cli/build.ts';
import { UsageError, UserError } from '../../src/errors.ts';
import type { VersionsFile } from '../../src/publish/publication.ts';
import { publish, type PublishOptions, type PublishResult } from '../../src/publish/publish.ts';
import { retain, VERSION_ID, versionId } from '../../src/publish/versions.ts';
import { fakeBuild, identity, periodsOf, tempDir, treeState, under } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function newTree(): string {
  const dir = tempDir();
  dirs.push(dir);
  return path.join(dir, 'site');
}

const at = (hhmmss: string) => new Date(`2026-11-24T${hhmmss}Z`);
const versionsOf = (tree: string) => (JSON.parse(fs.readFileSync(path.join(tree, 'versions.json'), 'utf8')) as VersionsFile).versions;
const read = (tree: string, rel: string) => fs.readFileSync(path.join(tree, rel), 'utf8');

function run(tree: string, label: string, builtAt: Date, build = fakeBuild(periodsOf(0.7)), extra: Partial<PublishOptions> = {}): Promise<PublishResult> {
  return publish({ tree, builtAt, identity: identity(label), prepare: build.prepare, title: 'Test review', ...extra });
}

function published(result: PublishResult) {
  if (result.status !== 'published') throw new Error(`expected a published version, got ${result.status}`);
  return result;
}

describe('publish: three builds into one tree', () => {
  it('keeps older versions byte-identical, records every version and points latest at the newest', async () => {
    const tree = newTree();
    const first = published(await run(tree, 'a', at('06:00:00'), fakeBuild(periodsOf(0.7))));
    expect(first.version.id).toBe(`2026-11-24T060000Z-${identity('a').content_hash.slice(0, 8)}`);
    expect(first.version.id).toMatch(VERSION_ID);
    const afterFirst = treeState(tree);

    const second = published(await run(tree, 'b', at('07:00:00'), fakeBuild(periodsOf(0.75), { finalReviews: ['month/2026-01'] })));
    const afterSecond = treeState(tree);
    expect(under(afterSecond, `v/${first.version.id}`)).toEqual(under(afterFirst, `v/${first.version.id}`));

    const third = published(await run(tree, 'c', at('08:00:00'), fakeBuild(periodsOf(0.75, 0.6), { finalReviews: ['month/2026-01'] })));
    const afterThird = treeState(tree);
    for (const old of [first, second]) expect(under(afterThird, `v/${old.version.id}`)).toEqual(under(afterSecond, `v/${old.version.id}`));
    expect(Object.keys(under(afterThird, `v/${first.version.id}/`)).length).toBeGreaterThan(5);

    // versions.json: every version, oldest first, with what the spec asks of each
    const versions = versionsOf(tree);
    expect(versions.map((v) => v.id)).toEqual([first.version.id, second.version.id, third.version.id]);
    expect(versions[0]).toMatchObject({
      created: '2026-11-24T06:00:00.000Z',
      git_commit: null,
      content_hash: identity('a').content_hash,
      manifest_hash: identity('a').manifest_hash,
      periods: { month: ['2026-01'], week: ['2026-W01', '2026-W02'], quarter: ['2026-Q1'] },
      final_reviews: [],
      finalized: [],
    });
    expect(versions[1]).toMatchObject({ final_reviews: ['month/2026-01'], finalized: ['month/2026-01'] });
    expect(versions[2]).toMatchObject({ final_reviews: ['month/2026-01'], finalized: [] });

    // latest/ is the newest version rendered for latest/, the root opens it
    expect(read(tree, 'latest/index.html')).toBe(`<p>latest ${third.version.id}</p>\n`);
    expect(read(tree, `v/${third.version.id}/index.html`)).toBe(`<p>version ${third.version.id}</p>\n`);
    expect(read(tree, 'latest/month/2026-01/kpis.json')).toBe(read(tree, `v/${third.version.id}/month/2026-01/kpis.json`));
    const root = read(tree, 'index.html');
    expect(root).toContain('<meta http-equiv="refresh" content="0; url=latest/" />');
    expect(root).toContain(`href="v/${third.version.id}/"`);
    expect(root).toContain('<title>Test review</title>');
    // nothing of the publish machinery is left behind
    expect(fs.readdirSync(tree).sort()).toEqual(['index.html', 'latest', 'v', 'versions.json']);
    expect(fs.readdirSync(path.join(tree, 'v')).sort()).toEqual(versions.map((v) => v.id).sort());
  });

  it('tells each rendering where it is and which versions the tree holds', async () => {
    const tree = newTree();
    await run(tree, 'a', at('06:00:00'));
    const build = fakeBuild(periodsOf(0.8));
    const second = published(await run(tree, 'b', at('07:00:00'), build));
    expect(build.rendered.map((p) => p.location)).toEqual(['version', 'latest']);
    for (const p of build.rendered) {
      expect(p.version).toBe(second.version.id);
      expect(p.builtAt).toBe('2026-11-24T07:00:00.000Z');
      expect(p.versions.map((v) => v.id)).toEqual(versionsOf(tree).map((v) => v.id));
      expect(p.changes?.previous?.id).toBe(versionsOf(tree)[0].id);
    }
    expect(build.rendered[0].versions[1].periods.week).toEqual({ count: 2, first: '2026-W01', last: '2026-W02' });
  });

  it('lists the figures that differ from the previous version, read from its kpis.json', async () => {
    const tree = newTree();
    await run(tree, 'a', at('06:00:00'), fakeBuild(periodsOf(0.7, 0.5)));
    const next = identity('b', { reviews: { 'month/2026-01': 'r1' } });
    const result = published(await publish({ tree, builtAt: at('07:00:00'), identity: next, prepare: fakeBuild(periodsOf(0.75, 0.6)).prepare }));
    const { changes } = result;
    const month = changes.figures.find((f) => f.cadence === 'month');
    expect(month?.kpis).toEqual([{ kpi: 'resolution_rate', before: 0.7, after: 0.75 }]);
    expect(month?.segments).toEqual([{ kpi: 'resolution_rate', before: 0.5, after: 0.6, dimension: 'intent', segment: 'billing' }]);
    expect(changes.figures.filter((f) => f.cadence === 'week').map((f) => f.period)).toEqual(['2026-W01', '2026-W02']);
    expect(changes.figures.some((f) => f.cadence === 'quarter')).toBe(false);
    expect(changes.causes.months).toEqual({ added: [], changed: ['2026-01'], removed: [] });
    expect(changes.reviews).toEqual({ added: ['month/2026-01'], changed: [], removed: [] });
  });
});

describe('publish: idempotent schedules', () => {
  it('publishes nothing when the content hash equals the newest version, and leaves the tree byte-identical', async () => {
    const tree = newTree();
    const first = published(await run(tree, 'a', at('06:00:00')));
    const before = treeState(tree);
    const build = fakeBuild(periodsOf(0.7));
    const again = await run(tree, 'a', at('07:00:00'), build);
    expect(again).toEqual({ status: 'unchanged', version: first.version });
    expect(build.prepared).toBe(0);
    expect(treeState(tree)).toEqual(before);
  });

  it('publishes the same content again with --force, under a new id', async () => {
    const tree = newTree();
    const first = published(await run(tree, 'a', at('06:00:00')));
    const forced = published(await run(tree, 'a', at('06:30:00'), fakeBuild(periodsOf(0.7)), { force: true }));
    expect(forced.version.id).not.toBe(first.version.id);
    expect(forced.changes.figures).toEqual([]);
    expect(versionsOf(tree)).toHaveLength(2);
  });

  it('gives builds in the same second unique ids', async () => {
    const tree = newTree();
    const a = published(await run(tree, 'a', at('06:00:00')));
    const b = published(await run(tree, 'b', at('06:00:00')));
    const again = published(await run(tree, 'b', at('06:00:00'), fakeBuild(periodsOf(0.7)), { force: true }));
    expect(new Set([a.version.id, b.version.id, again.version.id]).size).toBe(3);
    expect(again.version.id).toBe(`${b.version.id}-2`);
    expect(versionsOf(tree).map((v) => v.id)).toEqual([a.version.id, b.version.id, again.version.id]);
    for (const v of versionsOf(tree)) expect(v.id).toMatch(VERSION_ID);
  });

  it('refuses a build time before the newest version (a wrong clock would make latest ambiguous)', async () => {
    const tree = newTree();
    await run(tree, 'a', at('06:00:00'));
    await expect(run(tree, 'b', at('05:59:59'))).rejects.toThrow(/before the newest version's/);
  });
});

describe('publish: a failed build leaves the tree as it was', () => {
  for (const fail of ['prepare', 'version', 'latest'] as const) {
    it(`when the ${fail === 'prepare' ? 'content check' : `rendering for ${fail}`} fails`, async () => {
      const tree = newTree();
      await run(tree, 'a', at('06:00:00'));
      await run(tree, 'b', at('07:00:00'), fakeBuild(periodsOf(0.8)));
      const before = treeState(tree);
      await expect(run(tree, 'c', at('08:00:00'), fakeBuild(periodsOf(0.9), { fail }))).rejects.toThrow(fail === 'prepare' ? /status/ : /InvalidContentEntryDataError/);
      expect(treeState(tree)).toEqual(before);
    });
  }

  it('when the very first build fails: no tree appears', async () => {
    const tree = newTree();
    await expect(run(tree, 'a', at('06:00:00'), fakeBuild(periodsOf(0.7), { fail: 'latest' }))).rejects.toThrow();
    expect(fs.existsSync(tree)).toBe(false);
  });

  it('cleans what a killed publish left behind, and takes over a lock whose process is gone', async () => {
    const tree = newTree();
    const first = published(await run(tree, 'a', at('06:00:00')));
    fs.mkdirSync(path.join(tree, '.latest.build-abc123'));
    fs.mkdirSync(path.join(tree, 'v', `.${first.version.id}.build-xyz`));
    fs.writeFileSync(path.join(tree, '.publish.lock'), '999999999');
    const second = published(await run(tree, 'b', at('07:00:00')));
    expect(fs.readdirSync(tree).sort()).toEqual(['index.html', 'latest', 'v', 'versions.json']);
    expect(fs.readdirSync(path.join(tree, 'v')).sort()).toEqual([first.version.id, second.version.id]);
  });

  it('refuses to publish while another live process holds the lock', async () => {
    const tree = newTree();
    await run(tree, 'a', at('06:00:00'));
    fs.writeFileSync(path.join(tree, '.publish.lock'), String(process.ppid));
    const before = treeState(tree);
    await expect(run(tree, 'b', at('07:00:00'))).rejects.toThrow(/another kpi-review build/);
    expect(treeState(tree)).toEqual(before);
    fs.rmSync(path.join(tree, '.publish.lock'));
  });

  it('refuses a folder that is not a published tree', async () => {
    const tree = newTree();
    fs.mkdirSync(tree);
    fs.writeFileSync(path.join(tree, 'index.html'), 'an old plain build');
    const before = treeState(tree);
    const error = await run(tree, 'a', at('06:00:00')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/not a published tree/);
    expect(treeState(tree)).toEqual(before);
  });
});

describe('retention (--keep)', () => {
  it('keeps the newest N versions plus every version in which a review became final', async () => {
    const tree = newTree();
    const ids: string[] = [];
    const builds = [
      fakeBuild(periodsOf(0.6)),
      fakeBuild(periodsOf(0.61), { finalReviews: ['month/2026-01'] }), // the review is signed off here
      fakeBuild(periodsOf(0.62), { finalReviews: ['month/2026-01'] }),
      fakeBuild(periodsOf(0.63), { finalReviews: ['month/2026-01'] }),
      fakeBuild(periodsOf(0.64), { finalReviews: ['month/2026-01'] }),
    ];
    let last: PublishResult | undefined;
    for (const [i, build] of builds.entries()) {
      last = await run(tree, `build ${i}`, at(`0${i}:00:00`), build, { keep: 2 });
      ids.push(last.version.id);
    }
    const kept = [ids[1], ids[3], ids[4]];
    expect(versionsOf(tree).map((v) => v.id)).toEqual(kept);
    expect(fs.readdirSync(path.join(tree, 'v')).sort()).toEqual(kept);
    expect(published(last!).pruned).toEqual([ids[2]]);
    expect(published(last!).versions.map((v) => v.id)).toEqual(kept);
  });

  it('retain() without a limit keeps everything', () => {
    const v = (id: string, finalized: string[] = []) => ({ id, finalized }) as never;
    expect(retain([v('a'), v('b')], null)).toEqual({ kept: [v('a'), v('b')], pruned: [] });
    expect(retain([v('a', ['month/2026-01']), v('b'), v('c')], 1).kept.map((x: { id: string }) => x.id)).toEqual(['a', 'c']);
  });
});

describe('--keep', () => {
  it('takes a whole number of versions, at least 1', () => {
    expect(parseKeep('3')).toBe(3);
    expect(parseKeep(undefined)).toBeUndefined();
    for (const bad of ['0', '-1', '2.5', 'all']) expect(() => parseKeep(bad)).toThrow(UsageError);
  });
});

describe('version ids', () => {
  it('are the UTC build time to the second and the short content hash', () => {
    expect(versionId(new Date('2026-11-24T06:00:00.999Z'), '3f9c2a1bdeadbeef', () => false)).toBe('2026-11-24T060000Z-3f9c2a1b');
    const taken = new Set(['2026-11-24T060000Z-3f9c2a1b', '2026-11-24T060000Z-3f9c2a1b-2']);
    expect(versionId(new Date('2026-11-24T06:00:00Z'), '3f9c2a1b', (id) => taken.has(id))).toBe('2026-11-24T060000Z-3f9c2a1b-3');
  });
});
