import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withDefaults } from '../../src/config/schema.ts';
import type { Manifest } from '../../src/data/manifest.ts';
import { configHash, gitState, identify, manifestHash, sourceHash } from '../../src/publish/identity.ts';
import { tempDir } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
function dir(): string {
  const d = tempDir('kpi-identity-');
  dirs.push(d);
  return d;
}

function manifest(inputDir: string, monthHash = 'aaa'): Manifest {
  const input = { path: `${inputDir}/events-2026-01.ndjson`, sha256: 'f00' };
  return {
    schema_version: 1,
    kpi_review_version: '0.1.0',
    timezone: 'UTC',
    earliest_ts: '2026-01-01T00:00:00.000Z',
    latest_ts: '2026-01-31T00:00:00.000Z',
    period_range: { first_ts: '2026-01-01T00:00:00.000Z', last_ts: '2026-01-31T00:00:00.000Z' },
    totals: { events: 10, conversations: 2, health_checks: 0, quarantined: 0 },
    months: { '2026-01': { events: 10, conversations: 2, health_checks: 0, hash: monthHash, event_types: {}, inputs: [input], span: { first_ts: 1767225600000, last_ts: 1769817600000, first_start: 1767225600000, last_start: 1769817600000 } } },
    inputs: [{ ...input, format: 'ndjson', read: 10, kept: 10, duplicates: 0, quarantined: 0, event_types: {} }],
  };
}

describe('the content hash', () => {
  it('hashes the manifest without the folders the exports were read from', () => {
    expect(manifestHash(manifest('/home/runner/work/exports'))).toBe(manifestHash(manifest('/Users/dana/exports')));
    expect(manifestHash(manifest('/x'))).not.toBe(manifestHash(manifest('/x', 'bbb')));
  });

  it('hashes the config values that shape the site, not where the file is, the inputs or the retention', () => {
    const base = configHash(withDefaults({ human_contact_cost_usd: 5 }, '/a'));
    expect(configHash(withDefaults({ human_contact_cost_usd: 5, inputs: ['exports'], publish: { keep: 3 } }, '/b'))).toBe(base);
    expect(configHash(withDefaults({ human_contact_cost_usd: 6 }, '/a'))).not.toBe(base);
    expect(configHash(withDefaults({ human_contact_cost_usd: 5, site: { title: 'Other' } }, '/a'))).not.toBe(base);
  });

  it('covers the content folder, and names each review with its hash', () => {
    const project = dir();
    const content = path.join(project, 'content');
    fs.mkdirSync(path.join(content, 'reviews', 'month'), { recursive: true });
    fs.writeFileSync(path.join(content, 'reviews', 'month', '2026-01.mdx'), '---\nstatus: draft\n---\n');
    const config = withDefaults({}, project);
    const a = identify({ manifest: manifest('/x'), content, config, projectDir: project });
    expect(Object.keys(a.reviews)).toEqual(['month/2026-01']);
    expect(identify({ manifest: manifest('/y'), content, config, projectDir: project }).content_hash).toBe(a.content_hash);

    fs.writeFileSync(path.join(content, 'reviews', 'month', '2026-01.mdx'), '---\nstatus: final\n---\n');
    const b = identify({ manifest: manifest('/x'), content, config, projectDir: project });
    expect(b.content_hash).not.toBe(a.content_hash);
    expect(b.reviews['month/2026-01']).not.toBe(a.reviews['month/2026-01']);
    expect(b.manifest_hash).toBe(a.manifest_hash);

    fs.mkdirSync(path.join(content, 'annotations'));
    fs.writeFileSync(path.join(content, 'annotations', 'x.md'), '---\ntitle: x\n---\n');
    expect(identify({ manifest: manifest('/x'), content, config, projectDir: project }).content_hash).not.toBe(b.content_hash);
    expect(identify({ manifest: manifest('/x', 'late data'), content, config, projectDir: project }).manifest_hash).not.toBe(b.manifest_hash);
  });

  it('covers the lock file, and the git commit only where the working tree is clean', () => {
    const project = dir();
    const content = path.join(project, 'content');
    const config = withDefaults({}, project);
    const code = () => identify({ manifest: manifest('/x'), content, config, projectDir: project });
    expect(gitState(project)).toEqual({ commit: null, clean: false });
    const outside = code();
    expect(outside.git_commit).toBeNull();

    fs.writeFileSync(path.join(project, 'package-lock.json'), '{"lockfileVersion": 3}');
    const locked = code();
    expect(locked.hash_parts.code).not.toBe(outside.hash_parts.code);

    const git = (...args: string[]) => execFileSync('git', ['-C', project, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { stdio: 'ignore' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'one');
    const clean = code();
    expect(clean.git_commit).toMatch(/^[0-9a-f]{40}$/);
    expect(clean.git_clean).toBe(true);
    expect(clean.hash_parts.code).not.toBe(locked.hash_parts.code);

    fs.writeFileSync(path.join(project, 'notes.txt'), 'uncommitted');
    const dirty = code();
    expect(dirty.git_commit).toBe(clean.git_commit);
    expect(dirty.git_clean).toBe(false);
    expect(dirty.hash_parts.code).toBe(locked.hash_parts.code);
  });
});

describe("kpi-review's source in the code part", () => {
  it('changes with a source file, the command or the package setup, not with documentation or data', () => {
    const root = dir();
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    write('src/kpi/engine.ts', 'export const a = 1;\n');
    write('bin/kpi-review.mjs', '#!/usr/bin/env node\n');
    write('package.json', '{"version":"0.1.0"}\n');
    write('README.md', '# one\n');
    const before = sourceHash(root);
    expect(sourceHash(root)).toBe(before);
    write('README.md', '# two\n');
    write('data/exports/x.ndjson', '{}\n');
    expect(sourceHash(root)).toBe(before);
    write('src/kpi/engine.ts', 'export const a = 2;\n');
    const edited = sourceHash(root);
    expect(edited).not.toBe(before);
    write('src/kpi/new.ts', '\n');
    expect(sourceHash(root)).not.toBe(edited);
  });
});
