import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import type { Manifest } from '../data/manifest.ts';
import { CADENCES, type Cadence } from '../kpi/periods.ts';
import { PACKAGE_ROOT, VERSION } from '../version.ts';
import type { ReviewKey, VersionRecord } from './publication.ts';

/** What a build is made of, known before anything is rendered: equal `content_hash`, equal site. */
export type BuildIdentity = Pick<
  VersionRecord,
  'content_hash' | 'manifest_hash' | 'hash_parts' | 'git_commit' | 'git_clean' | 'kpi_review_version' | 'months' | 'reviews'
>;

export interface IdentifyOptions {
  manifest: Manifest;
  /** The content folder (reviews and annotations); a missing folder is an empty one. */
  content: string;
  config: Config;
  /** The project's folder: its package-lock.json and its git commit (when the tree is clean) are part of the code. */
  projectDir: string;
}

/** kpi-review's own files that make the site: its source, its command, its Astro and package setup. */
const SOURCE_PARTS = ['src', 'bin', 'astro.config.mjs', 'package.json', 'tsconfig.json'];

const sha256 = (data: string | Buffer): string => crypto.createHash('sha256').update(data).digest('hex');

/** JSON with object keys sorted at every level, so equal values hash equally whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/**
 * The manifest's hash with every input path reduced to its file name: the same exports snapshotted from another
 * checkout (a CI runner, a laptop) give the same hash, and the pages only ever show file names.
 */
export function manifestHash(manifest: Manifest): string {
  const base = (p: string) => p.split(/[\\/]/).pop() ?? p;
  return sha256(
    canonical({
      ...manifest,
      inputs: manifest.inputs.map((i) => ({ ...i, path: base(i.path) })),
      months: Object.fromEntries(Object.entries(manifest.months).map(([m, e]) => [m, { ...e, inputs: e.inputs.map((i) => ({ ...i, path: base(i.path) })) }])),
    }),
  );
}

/** Every file below `dir` (dot files and folders left out) with its sha256, by relative POSIX path, sorted. */
function filesWithHashes(dir: string): [string, string][] {
  if (!fs.existsSync(dir)) return [];
  const out: [string, string][] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) out.push([child, sha256(fs.readFileSync(path.join(dir, child)))]);
    }
  };
  walk('');
  return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The review files of a content folder (`reviews/<cadence>/<period>.mdx`) and their hashes. */
function reviewHashes(files: [string, string][]): Record<ReviewKey, string> {
  const reviews: Record<ReviewKey, string> = {};
  for (const [rel, hash] of files) {
    const m = /^reviews\/([^/]+)\/([^/]+)\.mdx$/.exec(rel);
    if (m && (CADENCES as readonly string[]).includes(m[1])) reviews[`${m[1] as Cadence}/${m[2]}`] = hash;
  }
  return reviews;
}

/**
 * The config values that shape the site. Left out: `dir` (where the file happens to be), `inputs` (the data they
 * point at is in the manifest) and `publish` (retention changes the tree, not a page).
 */
export function configHash(config: Config): string {
  const { dir: _dir, timezoneFromFile: _fromFile, inputs: _inputs, publish: _publish, ...shaping } = config;
  return sha256(canonical(shaping));
}

/** The project's git commit, and whether the working tree is clean (ignored files do not count); null outside git. */
export function gitState(dir: string): { commit: string | null; clean: boolean } {
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const commit = git('rev-parse', 'HEAD');
    return { commit, clean: git('status', '--porcelain') === '' };
  } catch {
    return { commit: null, clean: false };
  }
}

/**
 * A hash of kpi-review's source files. The commit identifies the code only when the tree is clean; with
 * uncommitted changes (a review being edited in the same checkout) a change to the program itself would
 * otherwise go unseen and an outdated site count as unchanged.
 */
export function sourceHash(root: string = PACKAGE_ROOT): string {
  const files = SOURCE_PARTS.flatMap((part) => {
    const full = path.join(root, part);
    if (!fs.existsSync(full)) return [];
    if (fs.statSync(full).isFile()) return [[part, sha256(fs.readFileSync(full))] as [string, string]];
    return filesWithHashes(full).map(([rel, hash]) => [`${part}/${rel}`, hash] as [string, string]);
  });
  return sha256(files.map(([rel, hash]) => `${rel}\0${hash}\n`).join(''));
}

/** Hashes everything a published version is made of (see BuildIdentity). */
export function identify(options: IdentifyOptions): BuildIdentity {
  const files = filesWithHashes(options.content);
  const lockFile = path.join(options.projectDir, 'package-lock.json');
  const lock = fs.existsSync(lockFile) ? sha256(fs.readFileSync(lockFile)) : null;
  const git = gitState(options.projectDir);
  const source = sourceHash();
  const parts = {
    content: sha256(files.map(([rel, hash]) => `${rel}\0${hash}\n`).join('')),
    config: configHash(options.config),
    code: sha256(canonical({ version: VERSION, lock, source, commit: git.clean ? git.commit : null })),
    source,
  };
  const manifest = manifestHash(options.manifest);
  return {
    content_hash: sha256(canonical({ manifest, ...parts })),
    manifest_hash: manifest,
    hash_parts: parts,
    git_commit: git.commit,
    git_clean: git.clean,
    kpi_review_version: VERSION,
    months: Object.fromEntries(Object.entries(options.manifest.months).map(([month, entry]) => [month, entry.hash])),
    reviews: reviewHashes(files),
  };
}
