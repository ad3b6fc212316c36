import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withDefaults } from '../../src/config/schema.ts';
import { snapshot } from '../../src/data/snapshot.ts';
import { writeSample } from '../../src/sample/generate.ts';
import { buildSite } from '../../src/site/build.ts';
import { FIXTURE_CONTENT, writeContent } from '../e2e/fixture.ts';

const made: string[] = [];
const tmp = (tag: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kpi-build-${tag}-`));
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

describe('buildSite', () => {
  it('builds the content of the folder it is given, whatever an earlier build read from a folder since removed', async () => {
    const dir = tmp('site');
    await writeSample(path.join(dir, 'exports'), { start: '2026-01', months: 2, conversations: 300 });
    const snapshots = path.join(dir, 'snapshots');
    await snapshot([path.join(dir, 'exports')], { out: snapshots, timezone: 'UTC' });
    const config = withDefaults({}, dir);
    const builtAt = new Date('2026-04-02T06:00:00Z');

    // The same review files (same ids, same text) in a first folder, built and then removed ...
    const first = tmp('content');
    writeContent(first, FIXTURE_CONTENT);
    await buildSite({ snapshots, content: first, out: path.join(dir, 'first'), config, builtAt });
    fs.rmSync(first, { recursive: true, force: true });

    // ... then in a second folder with one review retitled: Astro's content cache must not serve the first.
    const second = tmp('content');
    const retitled = FIXTURE_CONTENT['reviews/month/2026-01.mdx'].replace('title: January fixture review', 'title: January review, second folder');
    writeContent(second, { ...FIXTURE_CONTENT, 'reviews/month/2026-01.mdx': retitled });
    await buildSite({ snapshots, content: second, out: path.join(dir, 'second'), config, builtAt });
    const page = fs.readFileSync(path.join(dir, 'second', 'month', '2026-01', 'index.html'), 'utf8');
    expect(page).toContain('January review, second folder');
    expect(page).not.toContain('January fixture review');
  }, 120_000);
});
