import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/schema.ts';
import { UserError } from '../errors.ts';

export interface MonthEntry {
  /** Events in the month's file: its conversations' events and the health checks of the month. */
  events: number;
  conversations: number;
  health_checks: number;
  /** sha256 over the month's Parquet files; what the KPI cache keys on. */
  hash: string;
  /** Kept events per type. */
  event_types: Record<string, number>;
  /** The input files (path and sha256) whose events the month holds. */
  inputs: { path: string; sha256: string }[];
  /**
   * Epoch ms of the month's first and last event, and of its first and last conversation start or health
   * check: the manifest's ranges are folded from these, so an incremental run reads only the months it rewrites.
   */
  span: { first_ts: number; last_ts: number; first_start: number; last_start: number };
}

export interface InputEntry {
  path: string;
  sha256: string;
  format: string;
  read: number;
  kept: number;
  duplicates: number;
  quarantined: number;
  /** Kept events per type from this input. */
  event_types: Record<string, number>;
}

export interface Manifest {
  schema_version: number;
  kpi_review_version: string;
  timezone: string;
  /** Earliest and latest `ts` of any kept event (epoch ms, ISO-8601 UTC). */
  earliest_ts: string | null;
  latest_ts: string | null;
  /** First and last conversation start or health check: the period range of every cadence runs between them. */
  period_range: { first_ts: string; last_ts: string } | null;
  totals: { events: number; conversations: number; health_checks: number; quarantined: number };
  months: Record<string, MonthEntry>;
  inputs: InputEntry[];
}

export const MANIFEST_FILE = 'manifest.json';
export const QUARANTINE_FILE = 'quarantine.ndjson';
export const eventsFile = (dir: string, month: string) => path.join(dir, 'events', `${month}.parquet`);
export const conversationsFile = (dir: string, month: string) => path.join(dir, 'conversations', `${month}.parquet`);

export function readManifest(dir: string): Manifest | undefined {
  const file = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  } catch (error) {
    throw new UserError(`${file}: not a readable manifest (${(error as Error).message}); rebuild the snapshots with --rebuild`);
  }
}

/** The manifest of a snapshot folder that must exist (for `kpis` and `build`). */
export function requireManifest(dir: string): Manifest {
  const manifest = readManifest(dir);
  if (!manifest) throw new UserError(`${dir}: no snapshots here (manifest.json missing); run \`kpi-review snapshot <exports> --out ${dir}\` first`);
  return manifest;
}

/**
 * The manifest of snapshots that figures are computed from: the report time zone is fixed when they are built,
 * so a config that names another zone is an error (config.md), naming both.
 */
export function snapshotsFor(dir: string, config: Pick<Config, 'timezone' | 'timezoneFromFile'>): Manifest {
  const manifest = requireManifest(dir);
  if (config.timezoneFromFile && config.timezone !== manifest.timezone)
    throw new UserError(`the config's timezone is ${config.timezone} but the snapshots in ${dir} were built in ${manifest.timezone}; rebuild them with \`kpi-review snapshot --rebuild\` or fix the config`);
  return manifest;
}
