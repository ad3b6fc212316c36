import fs from 'node:fs';
import type { AnnotationEntry, Review } from '../content/schema.ts';
import type { Manifest } from '../data/manifest.ts';
import type { Cadence } from '../kpi/periods.ts';
import type { PeriodDocument, Results } from '../kpi/results.ts';
import type { Publication } from '../publish/publication.ts';

/** A quarantine reason as the data page shows it: values elided, so no event content is published. */
export interface QuarantineSummary {
  total: number;
  reasons: { reason: string; count: number }[];
  sample: { source: string; position: string; reason: string }[];
}

/** Everything the pages read, prepared by the build before Astro runs (pages never open DuckDB). */
export interface SiteData {
  title: string;
  builtAt: string;
  results: Results;
  manifest: Manifest;
  quarantine: QuarantineSummary;
  goals: Record<string, { label: string }>;
  headlineGoal: string | null;
  humanContactCostUsd: number | null;
  /** Whether draft reviews are built (with a banner) or left out (config `site.drafts`). */
  drafts: 'show' | 'hide';
  /** The reviews' frontmatter (drafts left out when `drafts` is `hide`); the MDX bodies come from Astro's collection. */
  reviews: { cadence: Cadence; period: string; data: Review }[];
  annotations: (AnnotationEntry & { id: string })[];
  /** Where this rendering is published: a version (`v/<id>/`), `latest/`, or a plain build (src/publish). */
  publication: Publication;
}

export const SITE_DATA_ENV = 'KPI_REVIEW_SITE_DATA';

let cached: { file: string; data: SiteData } | undefined;

/**
 * The site data of the running build (read once from the file named by KPI_REVIEW_SITE_DATA). Keyed by the file:
 * Astro keeps this module loaded from one build to the next in the same process, and a published build renders
 * twice (v/<id>/, then latest/), each from its own file.
 */
export function siteData(): SiteData {
  const file = process.env[SITE_DATA_ENV];
  if (!file) throw new Error(`${SITE_DATA_ENV} is not set: run the site through \`kpi-review build\``);
  if (cached?.file !== file) cached = { file, data: JSON.parse(fs.readFileSync(file, 'utf8')) as SiteData };
  return cached.data;
}

/** The review of a period, if there is one (and it is not a hidden draft). */
export function reviewOf(cadence: Cadence, period: string): Review | undefined {
  return siteData().reviews.find((r) => r.cadence === cadence && r.period === period)?.data;
}

export function periodsOf(cadence: Cadence): PeriodDocument[] {
  return siteData().results.cadences[cadence];
}

/** The period document and its index in the cadence's list. */
export function findPeriod(cadence: Cadence, period: string): { doc: PeriodDocument; index: number; periods: PeriodDocument[] } {
  const periods = periodsOf(cadence);
  const index = periods.findIndex((p) => p.period === period);
  if (index < 0) throw new Error(`no ${cadence} ${period} in the results`);
  return { doc: periods[index], index, periods };
}
