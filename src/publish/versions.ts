import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { CADENCES } from '../kpi/periods.ts';
import type { VersionRecord, VersionsFile, VersionSummary } from './publication.ts';

export const VERSIONS_FILE = 'versions.json';
export const VERSIONS_DIR = 'v';
export const LATEST_DIR = 'latest';

/** `2026-11-24T060000Z-3f9c2a1b`: the id of a version (the pattern every id in a tree matches). */
export const VERSION_ID = /^\d{4}-\d{2}-\d{2}T\d{6}Z-[0-9a-f]{8}(?:-\d+)?$/;

/** The UTC build time to the second, as ids spell it: `2026-11-24T060000Z`. */
export function timeStamp(builtAt: Date): string {
  const iso = builtAt.toISOString();
  return `${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/**
 * A new version's id: the build time and the content hash's first 8 digits. A forced rebuild of the same content
 * in the same second would repeat an id; it gets a suffix (`-2`, `-3`) instead, so every id stays unique.
 */
export function versionId(builtAt: Date, contentHash: string, taken: (id: string) => boolean): string {
  const id = `${timeStamp(builtAt)}-${contentHash.slice(0, 8)}`;
  if (!taken(id)) return id;
  for (let n = 2; ; n++) if (!taken(`${id}-${n}`)) return `${id}-${n}`;
}

/** The versions of a published tree, oldest first; an empty list for a tree that does not exist yet. */
export function readVersions(tree: string): VersionRecord[] {
  const file = path.join(tree, VERSIONS_FILE);
  if (!fs.existsSync(file)) {
    const entries = fs.existsSync(tree) ? fs.readdirSync(tree).filter((name) => !name.startsWith('.')) : [];
    if (entries.length)
      throw new UserError(
        `${tree}: holds ${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''} but no ${VERSIONS_FILE}, so it is not a published tree (perhaps a site built before versions); move it away or build into another --out`,
      );
    return [];
  }
  let parsed: VersionsFile;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as VersionsFile;
  } catch (error) {
    throw new UserError(`${file}: not readable as JSON (${(error as Error).message}); restore it from the published copy`);
  }
  if (parsed?.format !== 1 || !Array.isArray(parsed.versions) || !parsed.versions.every((v) => typeof v?.id === 'string' && VERSION_ID.test(v.id)))
    throw new UserError(`${file}: not a versions file of this kpi-review (expected {"format": 1, "versions": [...]}); restore it from the published copy`);
  return parsed.versions;
}

export function versionsJson(versions: VersionRecord[]): string {
  const file: VersionsFile = { format: 1, versions };
  return JSON.stringify(file, null, 2) + '\n';
}

/**
 * Retention (`--keep N`, config `publish.keep`): the newest N versions, plus every version in which a period's
 * review became final (the version readers saw as latest when the review was signed off). `null` keeps all.
 */
export function retain(versions: VersionRecord[], keep: number | null): { kept: VersionRecord[]; pruned: VersionRecord[] } {
  if (keep === null) return { kept: versions, pruned: [] };
  const newest = new Set(versions.slice(-keep).map((v) => v.id));
  const keeps = (v: VersionRecord) => newest.has(v.id) || v.finalized.length > 0;
  return { kept: versions.filter(keeps), pruned: versions.filter((v) => !keeps(v)) };
}

export function summarize(version: VersionRecord): VersionSummary {
  const periods = Object.fromEntries(
    CADENCES.map((cadence) => {
      const list = version.periods[cadence] ?? [];
      return [cadence, { count: list.length, first: list[0] ?? null, last: list.at(-1) ?? null }];
    }),
  ) as VersionSummary['periods'];
  return { id: version.id, created: version.created, git_commit: version.git_commit, git_clean: version.git_clean, periods, final_reviews: version.final_reviews };
}
