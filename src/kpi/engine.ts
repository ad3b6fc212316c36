import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { conversationsFile, eventsFile, requireManifest, type Manifest } from '../data/manifest.ts';
import { openDb, type Db } from '../db/connection.ts';
import { VERSION } from '../version.ts';
import { readCache, writeCache, type CachedFigures } from './cache.ts';
import { changesOf } from './change.ts';
import { coverageOf } from './coverage.ts';
import { CADENCES, periodOf, periodRange, type Cadence, type Period } from './periods.ts';
import {
  BREAKDOWNS,
  DIMENSIONS,
  KPIS,
  SEGMENT_KPIS,
  type Breakdown,
  type Dimension,
  type KpiDefinition,
} from './registry.ts';
import type { BreakdownFigures, Figures, PeriodDocument, Results, SegmentFigures } from './results.ts';
import { availabilitySql, breakdownsSql, conversationKpisSql, conversationsTableSql, eventsTableSql, latencyKpisSql, type PeriodPass } from './sql.ts';

export interface EngineOptions {
  /** `human_contact_cost_usd` of the config; null leaves `deflection_value_usd` null. */
  humanContactCostUsd: number | null;
  /** Only these cadences (default: all three). */
  cadences?: readonly Cadence[];
  /** Folder of the results cache; none means compute everything. */
  cacheDir?: string;
}

/** Where `kpis` and `build` keep the results cache of a snapshot folder: beside it, since snapshot runs replace the folder. */
export function defaultCacheDir(snapshotsDir: string): string {
  const resolved = path.resolve(snapshotsDir);
  return path.join(path.dirname(resolved), '.kpi-review-cache', path.basename(resolved));
}

type Row = Record<string, unknown> & { period: string; dimension: string | null; segment: string | null };

/** Months (YYYY-MM, report zone) that a period's figures depend on: every month up to the period's last one (returning users look back). */
function dependencies(manifest: Manifest, period: Period): string[] {
  const lastMonth = periodOf(period.endMs - 1, 'month', manifest.timezone);
  return Object.keys(manifest.months).filter((month) => month <= lastMonth).sort();
}

function cacheKey(manifest: Manifest, period: Period, options: EngineOptions): string {
  const hash = crypto.createHash('sha256');
  hash.update(JSON.stringify([VERSION, manifest.timezone, options.humanContactCostUsd, period.cadence, period.label]));
  for (const month of dependencies(manifest, period)) hash.update(`${month}:${manifest.months[month].hash}`);
  return hash.digest('hex');
}

function emptyFigures(kpis: readonly KpiDefinition[], humanCost: number | null): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const k of kpis) out[k.id] = k.id === 'deflection_value_usd' ? (humanCost === null ? null : 0) : k.emptyValue;
  return out;
}

const dict = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

/** Folds the SQL rows of one cadence into the cached figures of each period. */
function assemble(periods: Period[], rows: { conv: Row[]; latency: Row[]; health: Row[]; breakdowns: Row[] }, humanCost: number | null): Map<string, CachedFigures> {
  const out = new Map<string, CachedFigures>();
  for (const p of periods) {
    const segments = Object.fromEntries(DIMENSIONS.map((d) => [d, dict<SegmentFigures>()])) as Record<Dimension, Record<string, SegmentFigures>>;
    const breakdowns = Object.fromEntries(BREAKDOWNS.map((b) => [b, dict<BreakdownFigures>()])) as Record<Breakdown, Record<string, BreakdownFigures>>;
    out.set(p.label, { kpis: emptyFigures(KPIS, humanCost) as Figures, segments, breakdowns });
  }
  const targetOf = (row: Row, kpis: readonly KpiDefinition[]): Record<string, number | null> | undefined => {
    const period = out.get(row.period);
    if (!period) return undefined;
    if (row.dimension === null) return period.kpis;
    const values = period.segments[row.dimension as Dimension];
    return (values[row.segment!] ??= emptyFigures(kpis, humanCost) as SegmentFigures);
  };
  for (const row of rows.conv) {
    const target = targetOf(row, SEGMENT_KPIS);
    if (target) for (const k of SEGMENT_KPIS) if (k.source === 'conversations') target[k.id] = row[k.id] as number | null;
  }
  for (const row of rows.latency) {
    const target = targetOf(row, SEGMENT_KPIS);
    if (target) for (const k of SEGMENT_KPIS) if (k.source === 'latency') target[k.id] = row[k.id] as number | null;
  }
  for (const row of rows.health) {
    const period = out.get(row.period);
    if (period) period.kpis.availability = row.availability as number | null;
  }
  for (const row of rows.breakdowns) {
    const period = out.get(row.period);
    if (!period) continue;
    const count = row.count as number;
    const name = row.name as string;
    switch (row.type) {
      case 'task':
        period.breakdowns.task[name] = { count, task_completion_rate: (row.successes as number) / count };
        break;
      case 'tool_call':
        period.breakdowns.tool[name] = { count, tool_failure_rate: (row.failures as number) / count };
        break;
      case 'error':
        period.breakdowns.integration[name] = { count };
        break;
      case 'goal': {
        const conversations = period.kpis.conversations as number;
        period.breakdowns.goal[name] = { count, goal_rate: conversations ? (row.conversations as number) / conversations : null };
        break;
      }
    }
  }
  for (const figures of out.values()) {
    for (const group of [...Object.values(figures.segments), ...Object.values(figures.breakdowns)] as Record<string, unknown>[]) {
      const sorted = Object.keys(group).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      const copy = Object.fromEntries(sorted.map((k) => [k, group[k]]));
      for (const k of sorted) delete group[k];
      for (const k of sorted) group[k] = copy[k];
    }
  }
  return out;
}

async function computeCadence(db: Db, pass: PeriodPass, humanCost: number | null) {
  const [conv, latency, health, breakdowns] = [
    await db.all<Row>(conversationKpisSql(pass, humanCost)),
    await db.all<Row>(latencyKpisSql(pass)),
    await db.all<Row>(availabilitySql(pass)),
    await db.all<Row>(breakdownsSql(pass)),
  ];
  return assemble(pass.only, { conv, latency, health, breakdowns }, humanCost);
}

/**
 * Computes every KPI of every period of every cadence from a snapshot folder (never the raw exports). Periods
 * whose dependencies (the months up to their end, for returning users) are unchanged come from the cache.
 */
export async function computeResults(snapshotsDir: string, options: EngineOptions): Promise<Results> {
  const manifest = requireManifest(snapshotsDir);
  const timezone = manifest.timezone;
  const humanCost = options.humanContactCostUsd;
  const cadences = options.cadences ?? CADENCES;
  const latestMs = manifest.latest_ts === null ? null : Date.parse(manifest.latest_ts);
  const results: Results = {
    timezone,
    latestTs: manifest.latest_ts,
    dataHash: crypto.createHash('sha256').update(JSON.stringify(Object.entries(manifest.months).map(([m, e]) => [m, e.hash]))).digest('hex'),
    cadences: { week: [], month: [], quarter: [] },
  };
  if (!manifest.period_range) return results;
  const first = Date.parse(manifest.period_range.first_ts);
  const last = Date.parse(manifest.period_range.last_ts);

  const plan = cadences.map((cadence) => {
    const periods = periodRange(first, last, cadence, timezone);
    const keys = new Map(periods.map((p) => [p.label, cacheKey(manifest, p, options)]));
    const cached = new Map<string, CachedFigures>();
    if (options.cacheDir)
      for (const p of periods) {
        const hit = readCache(options.cacheDir, cadence, p.label, keys.get(p.label)!);
        if (hit) cached.set(p.label, hit);
      }
    return { cadence, periods, keys, cached, missing: periods.filter((p) => !cached.has(p.label)) };
  });

  const missing = plan.flatMap((c) => c.missing);
  if (missing.length) {
    const months = Object.keys(manifest.months).sort();
    // Events are filed by the month their conversation started (health checks by their own): only the months
    // the missing periods overlap are read. Conversations are all read: returning users look back.
    const first = periodOf(Math.min(...missing.map((p) => p.startMs)), 'month', timezone);
    const last = periodOf(Math.max(...missing.map((p) => p.endMs)) - 1, 'month', timezone);
    const db = await openDb({ memoryLimit: '2GB', tempDirectory: path.join(os.tmpdir(), `kpi-engine-${process.pid}`) });
    try {
      await db.run(conversationsTableSql(months.map((m) => conversationsFile(snapshotsDir, m))));
      await db.run(eventsTableSql(months.filter((m) => m >= first && m <= last).map((m) => eventsFile(snapshotsDir, m))));
      for (const c of plan) {
        if (!c.missing.length) continue;
        const computed = await computeCadence(db, { all: c.periods, only: c.missing }, humanCost);
        for (const [label, figures] of computed) {
          c.cached.set(label, figures);
          if (options.cacheDir) writeCache(options.cacheDir, c.cadence, label, c.keys.get(label)!, figures);
        }
      }
    } finally {
      db.close();
    }
  }

  const coverage = coverageOf(manifest.inputs);
  for (const c of plan) {
    let previous: Figures | null = null;
    results.cadences[c.cadence] = c.periods.map((p) => {
      const figures = c.cached.get(p.label)!;
      const doc: PeriodDocument = {
        period: p.label,
        cadence: c.cadence,
        start: p.start,
        end: p.end,
        partial: latestMs === null || p.endMs > latestMs,
        kpis: figures.kpis,
        previous,
        change: previous ? changesOf(figures.kpis, previous) : null,
        segments: figures.segments,
        breakdowns: figures.breakdowns,
        ...(Object.keys(coverage).length ? { coverage } : {}),
      };
      previous = figures.kpis;
      return doc;
    });
  }
  return results;
}
