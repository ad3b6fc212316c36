import type { Cadence } from '../kpi/periods.ts';
import type { Dimension, KpiId } from '../kpi/registry.ts';

/**
 * Where a rendering of the site lives: `version` is `v/<id>/` (immutable once published), `latest` is `latest/`
 * (the newest version's pages, rendered again for that place), `plain` a site built on its own (`buildSite`).
 */
export type Location = 'version' | 'latest' | 'plain';

/** A review as versions.json names it: `<cadence>/<period>` (`month/2026-05`). */
export type ReviewKey = string;

/** The project's git state at two builds whose code differs (see describeCodeChange). */
export interface CodeChange {
  before: { commit: string | null; clean: boolean };
  after: { commit: string | null; clean: boolean };
  /** Whether kpi-review's own source files changed; null when the previous version did not record them. */
  source: boolean | null;
}

export interface HashParts {
  content: string;
  config: string;
  code: string;
  /** kpi-review's source files (a part of `code`); absent in versions published before it was recorded. */
  source?: string;
}

/** One version as `versions.json` records it (oldest first in the file). */
export interface VersionRecord {
  /** `2026-11-24T060000Z-3f9c2a1b`: the UTC build time to the second and the content hash's first 8 digits. */
  id: string;
  /** The build time (ISO-8601 UTC). */
  created: string;
  /** The project's git commit (HEAD) when built, null outside git; `git_clean` tells whether it was the whole truth. */
  git_commit: string | null;
  git_clean: boolean;
  kpi_review_version: string;
  /** sha256 of the snapshot manifest (input paths reduced to their file names). */
  manifest_hash: string;
  /** sha256 over the manifest, the content folder, the config and the code: equal hashes mean an equal site. */
  content_hash: string;
  /** The other parts of `content_hash`, so the what-changed page can say why figures moved. */
  hash_parts: HashParts;
  /** Each snapshot month's hash (late data shows as a changed month). */
  months: Record<string, string>;
  /** Every period of every cadence the version covers. */
  periods: Record<Cadence, string[]>;
  /** sha256 of each review file (`content/reviews/<cadence>/<period>.mdx`). */
  reviews: Record<ReviewKey, string>;
  /** The periods whose review was `final` in this version. */
  final_reviews: ReviewKey[];
  /** Of those, the ones that were not final in the previous version: `--keep` always keeps such a version. */
  finalized: ReviewKey[];
}

export interface VersionsFile {
  format: 1;
  versions: VersionRecord[];
}

/** One figure that differs from the previous version for the same period. */
export interface FigureChange {
  kpi: KpiId;
  before: number | null;
  after: number | null;
  /** For a segment figure: the dimension and the segment value. */
  dimension?: Dimension;
  segment?: string;
}

export interface PeriodChange {
  cadence: Cadence;
  period: string;
  /** Set when the period was partial in one version and complete in the other. */
  partial?: { before: boolean; after: boolean };
  kpis: FigureChange[];
  /** The differing segment figures, at most SEGMENT_CHANGES_SHOWN of them; `segmentCount` has the total. */
  segments: FigureChange[];
  segmentCount: number;
}

/** What differs between this version and the one before it (the what-changed page and the job's log). */
export interface Changes {
  /** The version compared with; null for the first version. */
  previous: { id: string; created: string } | null;
  /** Why figures can have moved. */
  causes: {
    /** Snapshot months that are new, whose data changed (late-arriving or corrected events), or that are gone. */
    months: { added: string[]; changed: string[]; removed: string[] };
    /** kpi-review's version before and after, when it changed (a definition change). */
    kpiReviewVersion: { before: string; after: string } | null;
    /** The code (version, lock file or commit) changed: the project's git state before and after, or null. */
    code: CodeChange | null;
    /** A config value that shapes the site changed (e.g. `human_contact_cost_usd`). */
    config: boolean;
  };
  /** Periods this version covers that the previous one did not, and the reverse. */
  periods: { added: { cadence: Cadence; period: string }[]; removed: { cadence: Cadence; period: string }[] };
  /** Periods present in both whose figures differ. */
  figures: PeriodChange[];
  reviews: { added: ReviewKey[]; changed: ReviewKey[]; removed: ReviewKey[] };
}

/** A version as the pages list it. */
export interface VersionSummary {
  id: string;
  created: string;
  git_commit: string | null;
  git_clean: boolean;
  periods: Record<Cadence, { count: number; first: string | null; last: string | null }>;
  final_reviews: ReviewKey[];
}

/** What the pages need to know about where they are published (SiteData.publication). */
export interface Publication {
  location: Location;
  /** The version this rendering belongs to; null for a plain build. */
  version: string | null;
  builtAt: string;
  /** Every version in the tree once this one is published (retention applied), oldest first; empty for plain. */
  versions: VersionSummary[];
  /** What differs from the previous version; null for a plain build. */
  changes: Changes | null;
}

/** The publication of a site built on its own, outside a published tree. */
export function plainPublication(builtAt: string): Publication {
  return { location: 'plain', version: null, builtAt, versions: [], changes: null };
}
