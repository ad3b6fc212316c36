import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toKpisJson } from '../../src/kpi/export.ts';
import type { Cadence } from '../../src/kpi/periods.ts';
import type { PeriodDocument } from '../../src/kpi/results.ts';
import type { BuildIdentity } from '../../src/publish/identity.ts';
import type { Publication } from '../../src/publish/publication.ts';
import type { PreparedBuild, PublishOptions } from '../../src/publish/publish.ts';
import { doc } from '../helpers/documents.ts';

export const sha = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

export function tempDir(tag = 'kpi-publish-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), tag));
}

/** Every file (dot files included) with its sha256, and every folder, by relative path: equal maps, equal trees. */
export function treeState(root: string): Record<string, string> {
  const state: Record<string, string> = {};
  if (!fs.existsSync(root)) return state;
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    const rel = path.relative(root, file).split(path.sep).join('/');
    state[rel] = entry.isDirectory() ? 'dir' : sha(fs.readFileSync(file, 'binary'));
  }
  return state;
}

/** The part of a tree state under one folder. */
export function under(state: Record<string, string>, prefix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(state).filter(([rel]) => rel.startsWith(prefix)));
}

/** A build's hashes, made up: `label` stands for its content. */
export function identity(label: string, over: Partial<BuildIdentity> = {}): BuildIdentity {
  return {
    content_hash: sha(`content ${label}`),
    manifest_hash: sha(`manifest ${label}`),
    hash_parts: { content: sha('content folder'), config: sha('config'), code: sha('code') },
    git_commit: null,
    git_clean: false,
    kpi_review_version: '0.1.0',
    months: { '2026-01': sha(`month ${label}`) },
    reviews: {},
    ...over,
  };
}

/** One month with its weeks: the resolution rate and a segment figure are the knobs the tests turn. */
export function periodsOf(resolution: number, billing = 0.5): Record<Cadence, PeriodDocument[]> {
  const month = doc({ cadence: 'month', period: '2026-01', kpis: { conversations: 300, resolution_rate: resolution }, segments: { intent: { billing: { resolution_rate: billing } } } });
  const weeks = ['2026-W01', '2026-W02'].map((period) => doc({ cadence: 'week', period, kpis: { conversations: 70, resolution_rate: resolution } }));
  return { week: weeks, month: [month], quarter: [doc({ cadence: 'quarter', period: '2026-Q1', kpis: { conversations: 300 } })] };
}

export interface FakeBuild {
  prepare: PublishOptions['prepare'];
  /** Every publication rendered, in order. */
  rendered: Publication[];
  prepared: number;
}

/**
 * A fast stand-in for the Astro build: writes a home page naming the location and version, each period's page
 * and kpis.json, and a versions page. `fail` makes the rendering for that location throw half-way (an Astro
 * error, as a bad review frontmatter causes), after writing a file.
 */
export function fakeBuild(periods: Record<Cadence, PeriodDocument[]>, options: { finalReviews?: string[]; fail?: 'version' | 'latest' | 'prepare' } = {}): FakeBuild {
  const build: FakeBuild = {
    rendered: [],
    prepared: 0,
    prepare: async (): Promise<PreparedBuild> => {
      build.prepared++;
      if (options.fail === 'prepare') throw new Error('reviews/month/2026-01.mdx: key "status": expected draft or final');
      return {
        periods,
        finalReviews: options.finalReviews ?? [],
        render: async (out, publication) => {
          build.rendered.push(publication);
          fs.writeFileSync(path.join(out, 'index.html'), `<p>${publication.location} ${publication.version}</p>\n`);
          if (options.fail === publication.location) throw new Error('[InvalidContentEntryDataError] reviews → month/2026-01 data does not match collection schema');
          for (const docs of Object.values(periods))
            for (const d of docs) {
              const dir = path.join(out, d.cadence, d.period);
              fs.mkdirSync(dir, { recursive: true });
              fs.writeFileSync(path.join(dir, 'index.html'), `<h1>${d.cadence} ${d.period}</h1><p>${publication.location} ${publication.version}</p>\n`);
              fs.writeFileSync(path.join(dir, 'kpis.json'), toKpisJson(d));
            }
          fs.mkdirSync(path.join(out, 'versions'));
          fs.writeFileSync(path.join(out, 'versions', 'index.html'), publication.versions.map((v) => `<li>${v.id}</li>`).join('\n'));
        },
      };
    },
  };
  return build;
}
