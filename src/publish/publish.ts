import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { siblingTemp, swapInto, writeFileAtomic } from '../fs/atomic.ts';
import { acquireLock } from '../fs/lock.ts';
import type { Cadence } from '../kpi/periods.ts';
import type { PeriodDocument } from '../kpi/results.ts';
import { computeChanges } from './changes.ts';
import type { BuildIdentity } from './identity.ts';
import type { Changes, Location, Publication, ReviewKey, VersionRecord } from './publication.ts';
import { LATEST_DIR, readVersions, retain, summarize, versionId, VERSIONS_DIR, VERSIONS_FILE, versionsJson } from './versions.ts';

/** A build that is going to be published: its figures, its final reviews, and how to render it for a location. */
export interface PreparedBuild {
  /** Every period of every cadence (the export documents), compared with the previous version's kpis.json. */
  periods: Record<Cadence, PeriodDocument[]>;
  /** The periods whose review is `final` in this build (`month/2026-05`). */
  finalReviews: ReviewKey[];
  /** Writes the complete site, rendered for `publication.location`, into the empty folder `out`. */
  render(out: string, publication: Publication): Promise<void>;
}

export interface PublishOptions {
  /** The published tree (`site/`); created on the first publish. */
  tree: string;
  /** The build time, passed in: the version id and every page's "built" come from it. */
  builtAt: Date;
  /** The build's hashes (`identify`), known before anything is rendered. */
  identity: BuildIdentity;
  /** Computes what is to be rendered; called only when a new version will be published. */
  prepare(): Promise<PreparedBuild>;
  /** Retention: keep the newest N versions (plus those where a review became final); null or absent keeps all. */
  keep?: number | null;
  /** Publish a new version even when the content hash equals the newest version's. */
  force?: boolean;
  /** The site's title, for the tree's root page. */
  title?: string;
  log?: (line: string) => void;
}

export type PublishResult =
  | { status: 'published'; version: VersionRecord; changes: Changes; pruned: string[]; versions: VersionRecord[] }
  | { status: 'unchanged'; version: VersionRecord };

const LOCK_FILE = '.publish.lock';

/** One publish at a time per tree: a lock file holding the pid (a lock whose process is gone is taken over). */
function lockTree(tree: string): Promise<() => void> {
  const file = path.join(tree, LOCK_FILE);
  return acquireLock(file, (holder) => {
    if ('self' in holder) throw new UserError(`${tree}: this process is already publishing into this tree`);
    throw new UserError(`${tree}: another kpi-review build (process ${holder.pid}) is publishing into this tree; wait for it to finish, or remove ${file} if that process is not kpi-review`);
  });
}

/** Folders and files a publish that was killed half-way left behind (all dot-named, never a version). */
function removeLeftovers(tree: string): void {
  const gone = (p: string) => fs.rmSync(p, { recursive: true, force: true });
  for (const name of fs.readdirSync(tree)) if (/^\.latest\.build-|\.tmp-\d+$/.test(name)) gone(path.join(tree, name));
  const versions = path.join(tree, VERSIONS_DIR);
  if (fs.existsSync(versions)) for (const name of fs.readdirSync(versions)) if (name.startsWith('.')) gone(path.join(versions, name));
}

/** The tree's root page: opens latest/ (a meta refresh; there is no anchor to keep at the root) with a plain link. */
export function rootIndex(title: string, version: string): string {
  const t = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta http-equiv="refresh" content="0; url=latest/" />
    <title>${t}</title>
    <link rel="canonical" href="latest/" />
  </head>
  <body>
    <main>
      <h1>${t}</h1>
      <p>Open the <a href="latest/">latest review</a> (version <a href="v/${version}/">${version}</a>), or see <a href="latest/versions/">every version</a>.</p>
    </main>
  </body>
</html>
`;
}

/**
 * Publishes a build into a published tree (see the README's "Publishing" section):
 * `v/<id>/` (this build, never modified afterwards), `latest/` (the same pages rendered for that place),
 * `versions.json` and the root `index.html`. When the content hash equals the newest version's, nothing is
 * written (unless `force`). Both renderings are written to temporary folders beside their targets and renamed
 * into place only when both succeeded: a failure leaves the tree exactly as it was.
 */
export async function publish(options: PublishOptions): Promise<PublishResult> {
  const tree = path.resolve(options.tree);
  const log = options.log ?? (() => {});
  const treeExisted = fs.existsSync(tree);
  const previous = readVersions(tree);
  const newest = previous.at(-1) ?? null;
  if (newest && newest.content_hash === options.identity.content_hash && !options.force) return { status: 'unchanged', version: newest };
  if (newest && options.builtAt.getTime() < Date.parse(newest.created))
    throw new UserError(`the build time ${options.builtAt.toISOString()} is before the newest version's (${newest.created}, ${newest.id}); check the machine's clock`);
  const prepared = await options.prepare();

  fs.mkdirSync(tree, { recursive: true });
  let release: (() => void) | undefined;
  const versionsDir = path.join(tree, VERSIONS_DIR);
  let versionsDirExisted = true;
  const temps: string[] = [];
  let committed = false;
  try {
    release = await lockTree(tree);
    versionsDirExisted = fs.existsSync(versionsDir);
    if (readVersions(tree).at(-1)?.id !== newest?.id) throw new UserError(`${tree}: another build published into this tree meanwhile; run again`);
    removeLeftovers(tree);
    const { identity } = options;
    const id = versionId(options.builtAt, identity.content_hash, (candidate) => previous.some((v) => v.id === candidate) || fs.existsSync(path.join(versionsDir, candidate)));
    const finalReviews = [...prepared.finalReviews].sort();
    const record: VersionRecord = {
      id,
      created: options.builtAt.toISOString(),
      git_commit: identity.git_commit,
      git_clean: identity.git_clean,
      kpi_review_version: identity.kpi_review_version,
      manifest_hash: identity.manifest_hash,
      content_hash: identity.content_hash,
      hash_parts: identity.hash_parts,
      months: identity.months,
      periods: Object.fromEntries(Object.entries(prepared.periods).map(([cadence, docs]) => [cadence, docs.map((d) => d.period)])) as VersionRecord['periods'],
      reviews: identity.reviews,
      final_reviews: finalReviews,
      finalized: finalReviews.filter((key) => !newest?.final_reviews.includes(key)),
    };
    const changes = computeChanges({ previous: newest, previousDir: newest && path.join(versionsDir, newest.id), identity, periods: prepared.periods });
    const { kept, pruned } = retain([...previous, record], options.keep ?? null);
    const publication = (location: Location): Publication => ({ location, version: id, builtAt: record.created, versions: kept.map(summarize), changes });

    const versionDir = path.join(versionsDir, id);
    const latestDir = path.join(tree, LATEST_DIR);
    const versionTemp = siblingTemp(versionDir, 'build');
    temps.push(versionTemp);
    log(`rendering ${VERSIONS_DIR}/${id}/`);
    await prepared.render(versionTemp, publication('version'));
    const latestTemp = siblingTemp(latestDir, 'build');
    temps.push(latestTemp);
    log(`rendering ${LATEST_DIR}/`);
    await prepared.render(latestTemp, publication('latest'));

    // Commit: the new version first (nothing refers to it yet), then latest/, the root page, and versions.json
    // last, so that an interrupted publish is re-done by the next run (its hash is not recorded yet).
    committed = true;
    fs.renameSync(versionTemp, versionDir);
    swapInto(latestTemp, latestDir);
    writeFileAtomic(path.join(tree, 'index.html'), rootIndex(options.title ?? 'KPI review', id));
    writeFileAtomic(path.join(tree, VERSIONS_FILE), versionsJson(kept));
    for (const old of pruned) {
      const dir = path.join(versionsDir, old.id);
      if (!fs.existsSync(dir)) continue;
      const doomed = siblingTemp(dir, 'pruned');
      fs.rmSync(doomed, { recursive: true, force: true });
      fs.renameSync(dir, doomed);
      fs.rmSync(doomed, { recursive: true, force: true });
    }
    return { status: 'published', version: record, changes, pruned: pruned.map((v) => v.id), versions: kept };
  } catch (error) {
    if (!committed) {
      for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
      if (!versionsDirExisted) fs.rmSync(versionsDir, { recursive: true, force: true });
    }
    throw error;
  } finally {
    release?.();
    if (!treeExisted && fs.existsSync(tree) && fs.readdirSync(tree).length === 0) fs.rmdirSync(tree);
  }
}
