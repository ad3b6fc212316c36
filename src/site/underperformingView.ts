import { formatValue } from '../format/index.ts';
import type { UnderperformingSegment } from '../insights/index.ts';
import { kpiById, type Dimension, type KpiId } from '../kpi/registry.ts';

type SegmentKpi = Exclude<KpiId, 'availability'>;

/** One finding of `underperformingSegments`, with its KPI (and its dimension where several are looked at). */
export type UnderperformingFinding = UnderperformingSegment & { kpi: SegmentKpi; dimension?: Dimension };

/** A segment value with everything found underperforming in it. */
export interface UnderperformingGroup {
  dimension: Dimension | null;
  value: string;
  conversations: number;
  /** "Resolution rate 50.4% against 71.3% overall", worst first. */
  findings: string[];
}

export interface UnderperformingView {
  groups: UnderperformingGroup[];
  /** The selection rules of the KPIs listed, the part they share said once. */
  rule: string;
}

/**
 * The "where is it underperforming" list as readers get it: the `limit` findings of most impact, one item per
 * segment value (in the order of its worst finding) naming each KPI found worse there, and the rules stated
 * once below instead of on every line.
 */
export function underperformingView(findings: UnderperformingFinding[], limit: number): UnderperformingView {
  const found = findings.toSorted((a, b) => b.impact - a.impact).slice(0, limit);
  const groups = new Map<string, UnderperformingGroup>();
  for (const f of found) {
    const key = `${f.dimension ?? ''}\0${f.value}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { dimension: f.dimension ?? null, value: f.value, conversations: f.conversations, findings: [] }));
    const def = kpiById(f.kpi)!;
    group.findings.push(`${def.label} ${formatValue(f.current, def.unit)} against ${formatValue(f.overall, def.unit)} overall`);
  }
  const parts = [...new Set([...found.map((f) => f.rule.margin), ...found.map((f) => f.rule.volume)])];
  return { groups: [...groups.values()], rule: parts.join('; ') };
}
