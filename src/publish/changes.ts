import fs from 'node:fs';
import path from 'node:path';
import { CADENCES, type Cadence } from '../kpi/periods.ts';
import { KPI_IDS, type Dimension, type KpiId } from '../kpi/registry.ts';
import type { PeriodDocument } from '../kpi/results.ts';
import type { BuildIdentity } from './identity.ts';
import type { Changes, CodeChange, FigureChange, PeriodChange, VersionRecord } from './publication.ts';

/** How many differing segment figures of one period the what-changed page lists (the count covers them all). */
export const SEGMENT_CHANGES_SHOWN = 40;

/** Equal figures, up to floating-point noise (a sum added up in another order is not a change). */
export function sameFigure(a: number | null | undefined, b: number | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

const kpiOrder = new Map<string, number>(KPI_IDS.map((id, i) => [id, i]));
const byKpiOrder = (a: string, b: string) => (kpiOrder.get(a) ?? Infinity) - (kpiOrder.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0);

type FigureMap = Record<string, number | null | undefined>;

function differing(before: FigureMap | undefined, after: FigureMap | undefined): FigureChange[] {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].sort(byKpiOrder);
  return keys
    .filter((k) => !sameFigure(before?.[k], after?.[k]))
    .map((k) => ({ kpi: k as KpiId, before: before?.[k] ?? null, after: after?.[k] ?? null }));
}

/** The KPI and segment figures of one period that differ between two export documents. */
export function periodChange(before: Pick<PeriodDocument, 'kpis' | 'segments' | 'partial'>, after: PeriodDocument): PeriodChange | null {
  const segments: FigureChange[] = [];
  const dimensions = [...new Set([...Object.keys(before.segments ?? {}), ...Object.keys(after.segments ?? {})])].sort();
  for (const dimension of dimensions) {
    const b = (before.segments ?? {})[dimension as Dimension] ?? {};
    const a = (after.segments ?? {})[dimension as Dimension] ?? {};
    for (const segment of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort())
      for (const change of differing(b[segment] as FigureMap, a[segment] as FigureMap)) segments.push({ ...change, dimension: dimension as Dimension, segment });
  }
  const kpis = differing(before.kpis as FigureMap, after.kpis as FigureMap);
  const partial = Boolean(before.partial) !== after.partial ? { before: Boolean(before.partial), after: after.partial } : undefined;
  if (!kpis.length && !segments.length && !partial) return null;
  return {
    cadence: after.cadence,
    period: after.period,
    ...(partial ? { partial } : {}),
    kpis,
    segments: segments.slice(0, SEGMENT_CHANGES_SHOWN),
    segmentCount: segments.length,
  };
}

function diffKeys(before: Record<string, string>, after: Record<string, string>): { added: string[]; changed: string[]; removed: string[] } {
  const keys = (o: Record<string, string>) => Object.keys(o).sort();
  return {
    added: keys(after).filter((k) => !(k in before)),
    changed: keys(after).filter((k) => k in before && before[k] !== after[k]),
    removed: keys(before).filter((k) => !(k in after)),
  };
}

export interface ChangesInput {
  /** The newest published version, or null for the first one. */
  previous: VersionRecord | null;
  /** Its folder (`v/<id>/`), whose `<cadence>/<period>/kpis.json` files hold the figures it published. */
  previousDir: string | null;
  identity: BuildIdentity;
  periods: Record<Cadence, PeriodDocument[]>;
}

/**
 * What differs from the previous version: for every period both cover, the KPI and segment figures that moved
 * (read back from the previous version's own kpis.json, so the comparison is with what readers saw), the
 * periods added or gone, the reviews added, changed or removed (file hashes), and what changed underneath
 * (snapshot months, kpi-review's version, the code, the config).
 */
export function computeChanges(input: ChangesInput): Changes {
  const { previous, identity } = input;
  const covered = (cadence: Cadence) => new Set(previous?.periods[cadence] ?? []);
  const figures: PeriodChange[] = [];
  const added: Changes['periods']['added'] = [];
  const removed: Changes['periods']['removed'] = [];
  for (const cadence of CADENCES) {
    const before = covered(cadence);
    const now = new Set(input.periods[cadence].map((d) => d.period));
    for (const doc of input.periods[cadence]) {
      if (!before.has(doc.period)) {
        if (previous) added.push({ cadence, period: doc.period });
        continue;
      }
      const file = input.previousDir && path.join(input.previousDir, cadence, doc.period, 'kpis.json');
      if (!file || !fs.existsSync(file)) continue;
      const change = periodChange(JSON.parse(fs.readFileSync(file, 'utf8')) as PeriodDocument, doc);
      if (change) figures.push(change);
    }
    for (const period of before) if (!now.has(period)) removed.push({ cadence, period });
  }
  return {
    previous: previous ? { id: previous.id, created: previous.created } : null,
    causes: {
      months: previous ? diffKeys(previous.months, identity.months) : { added: [], changed: [], removed: [] },
      kpiReviewVersion:
        previous && previous.kpi_review_version !== identity.kpi_review_version ? { before: previous.kpi_review_version, after: identity.kpi_review_version } : null,
      code:
        previous && previous.hash_parts.code !== identity.hash_parts.code
          ? {
              before: { commit: previous.git_commit, clean: previous.git_clean },
              after: { commit: identity.git_commit, clean: identity.git_clean },
              source: previous.hash_parts.source === undefined ? null : previous.hash_parts.source !== identity.hash_parts.source,
            }
          : null,
      config: Boolean(previous && previous.hash_parts.config !== identity.hash_parts.config),
    },
    periods: { added, removed },
    figures,
    reviews: previous ? diffKeys(previous.reviews, identity.reviews) : { added: Object.keys(identity.reviews).sort(), changed: [], removed: [] },
  };
}

const shortCommit = (commit: string) => commit.slice(0, 7);

/**
 * Why the code part of the identity changed, in words (the code is kpi-review's version, the lock file, its
 * source files, and the project's commit when its tree is clean). Editing a review in the project's own
 * checkout leaves uncommitted changes, and a committed review moves the commit: both change the code part,
 * and this says so, and whether the program itself changed, rather than suggesting it did.
 */
export function describeCodeChange({ before, after, source }: CodeChange): string {
  const parts: string[] = [];
  if (source) parts.push("kpi-review's source files changed");
  if (after.commit === null) {
    if (!source) parts.push(source === false ? 'the lock file changed' : "kpi-review's source files or the lock file changed");
    parts.push('the project is not a git checkout');
  } else if (!after.clean) parts.push(`the project has uncommitted changes on top of commit ${shortCommit(after.commit)}, so no commit identifies this version`);
  else if (!before.clean || before.commit === null) parts.push(`the project is at commit ${shortCommit(after.commit)} with nothing uncommitted`);
  else if (before.commit !== after.commit) parts.push(`the project moved from commit ${shortCommit(before.commit)} to ${shortCommit(after.commit)}`);
  else if (!source) parts.push('the dependencies changed (package-lock.json)');
  if (source === false && after.commit !== null) parts.push("kpi-review's own source files are the same");
  return parts.join('; ');
}
