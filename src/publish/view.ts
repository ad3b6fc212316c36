import { formatChange, formatValue } from '../format/index.ts';
import type { Cadence } from '../kpi/periods.ts';
import { kpiById } from '../kpi/registry.ts';
import { siteData } from '../site/data.ts';
import { CADENCE_LABELS } from '../site/navigation.ts';
import { changesPath, homePath, periodPath, relativeHref, treePath, versionsPath } from '../site/paths.ts';
import { describeCodeChange } from './changes.ts';
import type { FigureChange, Publication, ReviewKey, VersionSummary } from './publication.ts';

/** What the versions page, the what-changed page and the footer show (pages only lay it out). */

export interface Link {
  label: string;
  href: string | null;
}

/** Links from a page (its site path) to other places of the published tree; null for a plain build. */
export interface TreeLinks {
  publication: Publication & { version: string };
  /** The same site path in a version that is still in the tree (null when retention removed it). */
  inVersion(id: string, sitePath: string): string | null;
  inLatest(sitePath: string): string;
}

export function treeLinks(path: string): TreeLinks | null {
  const publication = siteData().publication;
  if (publication.location === 'plain' || publication.version === null) return null;
  const here = treePath(publication.location === 'latest' ? 'latest' : { version: publication.version }, path);
  const kept = new Set(publication.versions.map((v) => v.id));
  return {
    publication: publication as TreeLinks['publication'],
    inVersion: (id, sitePath) => (kept.has(id) ? relativeHref(here, treePath({ version: id }, sitePath)) : null),
    inLatest: (sitePath) => relativeHref(here, treePath('latest', sitePath)),
  };
}

/** `2026-11-24T06:00:00.000Z` → `2026-11-24 06:00 UTC`. */
export const displayTime = (iso: string): string => `${iso.replace('T', ' ').slice(0, 16)} UTC`;

const reviewLabel = (key: ReviewKey) => key.replace('/', ' ');
const reviewPath = (key: ReviewKey) => periodPath(...(key.split('/') as [Cadence, string]));

export interface FooterView {
  version: string;
  builtAt: string;
  location: 'version' | 'latest';
  permalink: string;
  latest: string;
  versions: string;
  changes: string;
}

/** The footer's version line (VersionInfo): this version, its permalink, the same page in latest. */
export function footerView(path: string): FooterView | null {
  const links = treeLinks(path);
  if (!links) return null;
  const { publication } = links;
  return {
    version: publication.version,
    builtAt: publication.builtAt,
    location: publication.location as 'version' | 'latest',
    permalink: links.inVersion(publication.version, path)!,
    latest: links.inLatest(path),
    versions: links.inLatest(versionsPath()),
    changes: relativeHref(path, changesPath()),
  };
}

export interface VersionRow {
  id: string;
  home: string | null;
  changes: string | null;
  created: string;
  commit: string | null;
  /** The working tree had uncommitted changes: the commit is not the whole truth. */
  dirty: boolean;
  covers: string;
  finals: Link[];
  current: boolean;
}

const CADENCE_ORDER: Cadence[] = ['month', 'week', 'quarter'];

/** `3 months (2026-01 … 2026-03), 13 weeks (2026-W01 … 2026-W13), 1 quarter (2026-Q1)`. */
function covers(v: VersionSummary): string {
  return CADENCE_ORDER.filter((c) => v.periods[c]?.count)
    .map((c) => {
      const p = v.periods[c];
      const label = (p.count === 1 ? CADENCE_LABELS[c].one : CADENCE_LABELS[c].many).toLowerCase();
      return `${p.count} ${label} (${p.count === 1 ? p.first : `${p.first} … ${p.last}`})`;
    })
    .join(', ');
}

/** Every version in the tree, newest first, as the versions page lists them. */
export function versionRows(path: string): VersionRow[] {
  const links = treeLinks(path);
  if (!links) return [];
  return links.publication.versions
    .slice()
    .reverse()
    .map((v) => ({
      id: v.id,
      home: links.inVersion(v.id, homePath()),
      changes: links.inVersion(v.id, changesPath()),
      created: displayTime(v.created),
      commit: v.git_commit ? v.git_commit.slice(0, 12) : null,
      dirty: v.git_commit !== null && !v.git_clean,
      covers: covers(v),
      finals: v.final_reviews.map((key) => ({ label: reviewLabel(key), href: links.inVersion(v.id, reviewPath(key)) })),
      current: v.id === links.publication.version,
    }));
}

export interface FigureRow {
  label: string;
  href: string;
  segment: string | null;
  before: string;
  after: string;
  change: string;
}

export interface PeriodChangeView {
  anchor: string;
  label: string;
  href: string;
  previous: string | null;
  partial: string | null;
  kpis: FigureRow[];
  segments: FigureRow[];
  segmentCount: number;
}

export interface ChangesView {
  version: string;
  builtAt: string;
  previous: { id: string; created: string; href: string | null } | null;
  causes: string[];
  reviews: { added: Link[]; changed: Link[]; removed: Link[] };
  periodsAdded: Link[];
  periodsRemoved: Link[];
  figures: { cadence: Cadence; title: string; periods: PeriodChangeView[] }[];
}

function figureRow(path: string, cadence: Cadence, period: string, change: FigureChange): FigureRow {
  const def = kpiById(change.kpi);
  const unit = def?.unit ?? 'count';
  const { before, after } = change;
  const delta = before !== null && after !== null ? after - before : null;
  return {
    label: def?.label ?? change.kpi,
    href: relativeHref(path, `${periodPath(cadence, period)}#${change.kpi}`),
    segment: change.dimension ? `${change.dimension}: ${change.segment}` : null,
    before: formatValue(before, unit),
    after: formatValue(after, unit),
    change: delta === null ? (before === null ? 'new' : 'gone') : formatChange({ delta, relative: before ? delta / Math.abs(before) : null }, unit),
  };
}

const list = (items: string[]) => (items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}` : items.join(''));

/** The what-changed page: this version against the one before it. */
export function changesView(path: string): ChangesView | null {
  const links = treeLinks(path);
  const changes = links?.publication.changes;
  if (!links || !changes) return null;
  const { previous, causes } = changes;
  const sentences: string[] = [];
  if (previous) {
    const { added, changed, removed } = causes.months;
    if (added.length) sentences.push(`New data: the snapshots now hold ${list(added)}.`);
    if (changed.length) sentences.push(`Late-arriving or corrected data: the snapshot of ${list(changed)} changed.`);
    if (removed.length) sentences.push(`The snapshots no longer hold ${list(removed)}.`);
    if (causes.kpiReviewVersion) sentences.push(`Definitions: kpi-review went from ${causes.kpiReviewVersion.before} to ${causes.kpiReviewVersion.after}.`);
    else if (causes.code) sentences.push(`The code's identity changed: ${describeCodeChange(causes.code)}.`);
    if (causes.config) sentences.push('The configuration changed (for example the cost of a human contact, goal labels or the title).');
    if (!sentences.length) sentences.push('Nothing underneath changed: only the content (reviews, annotations) or a forced rebuild.');
  }
  const reviewLink = (key: ReviewKey, where: 'here' | 'previous'): Link => ({
    label: reviewLabel(key),
    href: where === 'here' ? relativeHref(path, reviewPath(key)) : previous ? links.inVersion(previous.id, reviewPath(key)) : null,
  });
  const periodLink = (cadence: Cadence, period: string, where: 'here' | 'previous'): Link => reviewLink(`${cadence}/${period}`, where);
  return {
    version: links.publication.version,
    builtAt: links.publication.builtAt,
    previous: previous ? { ...previous, href: links.inVersion(previous.id, changesPath()) } : null,
    causes: sentences,
    reviews: {
      added: changes.reviews.added.map((k) => reviewLink(k, 'here')),
      changed: changes.reviews.changed.map((k) => reviewLink(k, 'here')),
      removed: changes.reviews.removed.map((k) => reviewLink(k, 'previous')),
    },
    periodsAdded: changes.periods.added.map((p) => periodLink(p.cadence, p.period, 'here')),
    periodsRemoved: changes.periods.removed.map((p) => periodLink(p.cadence, p.period, 'previous')),
    figures: CADENCE_ORDER
      .map((cadence) => ({
        cadence,
        title: CADENCE_LABELS[cadence].many,
        periods: changes.figures
          .filter((f) => f.cadence === cadence)
          .map((f) => ({
            anchor: `${f.cadence}-${f.period}`,
            label: `${f.cadence} ${f.period}`,
            href: relativeHref(path, periodPath(f.cadence, f.period)),
            previous: previous ? links.inVersion(previous.id, periodPath(f.cadence, f.period)) : null,
            partial: f.partial ? (f.partial.after ? 'now partial' : 'now complete (no longer partial)') : null,
            kpis: f.kpis.map((c) => figureRow(path, f.cadence, f.period, c)),
            segments: f.segments.map((c) => figureRow(path, f.cadence, f.period, c)),
            segmentCount: f.segmentCount,
          })),
      }))
      .filter((group) => group.periods.length > 0),
  };
}
