import fs from 'node:fs';
import type { Manifest } from '../data/manifest.ts';
import type { Cadence } from '../kpi/periods.ts';
import type { PeriodDocument, Results } from '../kpi/results.ts';

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
}

export const SITE_DATA_ENV = 'KPI_REVIEW_SITE_DATA';

let cached: SiteData | undefined;

/** The site data of the running build (read once from the file named by KPI_REVIEW_SITE_DATA). */
export function siteData(): SiteData {
  if (!cached) {
    const file = process.env[SITE_DATA_ENV];
    if (!file) throw new Error(`${SITE_DATA_ENV} is not set: run the site through \`kpi-review build\``);
    cached = JSON.parse(fs.readFileSync(file, 'utf8')) as SiteData;
  }
  return cached;
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
