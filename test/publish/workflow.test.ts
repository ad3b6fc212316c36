import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const workflow = yaml.load(fs.readFileSync(path.join(root, '.github/workflows/review-site.yml'), 'utf8')) as {
  on: { schedule?: { cron: string }[]; workflow_dispatch?: unknown };
  jobs: Record<string, { steps: { name?: string; uses?: string; run?: string; with?: Record<string, unknown> }[] }>;
};
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const runs = steps.map((s) => s.run ?? '').join('\n');

describe('the scheduled workflow (.github/workflows/review-site.yml)', () => {
  it('runs on a cron schedule and on manual dispatch', () => {
    expect(workflow.on.schedule?.[0]?.cron).toMatch(/^(\S+\s+){4}\S+$/);
    expect(workflow.on).toHaveProperty('workflow_dispatch');
  });

  it('calls exactly one npm script, and that script exists in package.json', () => {
    const scripts = [...runs.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]);
    expect(scripts).toEqual(['regenerate']);
    const command = pkg.scripts.regenerate;
    expect(command).toBeDefined();
    const file = /node (\S+\.ts)/.exec(command)?.[1];
    expect(file && fs.existsSync(path.join(root, file))).toBe(true);
  });

  it('checks out, sets up Node, installs with npm ci, restores the published tree and publishes it', () => {
    const uses = steps.map((s) => s.uses ?? '');
    expect(uses.some((u) => u.startsWith('actions/checkout@'))).toBe(true);
    expect(uses.some((u) => u.startsWith('actions/setup-node@'))).toBe(true);
    expect(runs).toMatch(/^npm ci$/m);
    const order = (pattern: RegExp) => steps.findIndex((s) => pattern.test(s.run ?? ''));
    expect(order(/git archive FETCH_HEAD \| tar -x -C site/)).toBeGreaterThan(order(/npm ci/));
    expect(order(/npm run regenerate -- --out site/)).toBeGreaterThan(order(/git archive/));
    expect(order(/git push --force origin "\$commit:refs\/heads\/gh-pages"/)).toBeGreaterThan(order(/npm run regenerate/));
  });
});
