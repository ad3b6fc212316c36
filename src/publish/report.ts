import { formatChange, formatValue } from '../format/index.ts';
import type { Cadence } from '../kpi/periods.ts';
import { kpiById, type KpiId } from '../kpi/registry.ts';
import type { PeriodDocument } from '../kpi/results.ts';
import { describeCodeChange } from './changes.ts';
import type { Changes } from './publication.ts';
import type { PublishResult } from './publish.ts';

/** The lines a run prints about a publish (the CLI and the scheduled job share them: the job's log is a report). */

const CADENCE_ORDER: Cadence[] = ['month', 'week', 'quarter'];
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Which periods changed, one line per kind: new periods, periods whose figures moved, reviews. */
export function describeChanges(changes: Changes): string[] {
  const lines: string[] = [];
  if (!changes.previous) {
    lines.push('first version: nothing to compare with');
  } else {
    const { months } = changes.causes;
    if (months.added.length) lines.push(`new data months: ${months.added.join(', ')}`);
    if (months.changed.length) lines.push(`months whose data changed (late-arriving or corrected events): ${months.changed.join(', ')}`);
    if (months.removed.length) lines.push(`months no longer in the snapshots: ${months.removed.join(', ')}`);
    if (changes.causes.kpiReviewVersion) lines.push(`kpi-review ${changes.causes.kpiReviewVersion.before} → ${changes.causes.kpiReviewVersion.after}: definitions may have changed`);
    else if (changes.causes.code) lines.push(`the code's identity changed since the previous version: ${describeCodeChange(changes.causes.code)}`);
    if (changes.causes.config) lines.push('the config changed since the previous version');
    const byCadence = (items: { cadence: Cadence; period: string }[]) =>
      CADENCE_ORDER.map((c) => ({ c, periods: items.filter((i) => i.cadence === c).map((i) => i.period) }))
        .filter(({ periods }) => periods.length)
        .map(({ c, periods }) => `${c} ${periods.join(', ')}`)
        .join('; ');
    if (changes.periods.added.length) lines.push(`new periods: ${byCadence(changes.periods.added)}`);
    if (changes.figures.length) {
      lines.push(`periods whose figures changed: ${byCadence(changes.figures)}`);
      for (const f of changes.figures.filter((f) => f.cadence === 'month')) {
        const moved = f.kpis.slice(0, 4).map((k) => {
          const unit = kpiById(k.kpi)?.unit ?? 'count';
          return `${k.kpi} ${formatValue(k.before, unit)} → ${formatValue(k.after, unit)}`;
        });
        lines.push(`  month ${f.period}: ${plural(f.kpis.length, 'KPI')}${moved.length ? ` (${moved.join(', ')}${f.kpis.length > moved.length ? ', …' : ''})` : ''}, ${plural(f.segmentCount, 'segment figure')}`);
      }
    } else {
      lines.push('no figure of an already published period changed');
    }
  }
  const { added, changed, removed } = changes.reviews;
  const reviews = [added.length && `added ${added.join(', ')}`, changed.length && `changed ${changed.join(', ')}`, removed.length && `removed ${removed.join(', ')}`].filter(Boolean);
  if (reviews.length) lines.push(`reviews: ${reviews.join('; ')}`);
  return lines;
}

/** The outcome: the new version (and what retention removed), or that nothing was published. */
export function describePublish(result: PublishResult, tree: string): string[] {
  if (result.status === 'unchanged')
    return [`unchanged since version ${result.version.id} (same data, content, config and code): nothing published; --force publishes anyway`];
  const lines = [`published version ${result.version.id} into ${tree}/v/${result.version.id}/, and ${tree}/latest/ now shows it`];
  lines.push(...describeChanges(result.changes));
  if (result.version.finalized.length) lines.push(`reviews marked final in this version (kept by retention): ${result.version.finalized.join(', ')}`);
  if (result.pruned.length) lines.push(`retention removed ${plural(result.pruned.length, 'older version')}: ${result.pruned.join(', ')}`);
  lines.push(`${plural(result.versions.length, 'version')} in the tree`);
  return lines;
}

const SUMMARY_KPIS: KpiId[] = ['conversations', 'resolution_rate', 'escalation_rate', 'abandonment_rate', 'satisfaction_rate', 'cost_per_resolved_usd'];

/** The latest month's headline figures with their change from the month before. */
export function describeLatestMonth(months: PeriodDocument[]): string[] {
  const doc = months.at(-1);
  if (!doc) return ['no month has data yet'];
  const lines = [`latest month ${doc.period}${doc.partial ? ' (partial: the data does not reach its end yet)' : ''}:`];
  for (const id of SUMMARY_KPIS) {
    const def = kpiById(id);
    if (!def || !(id in doc.kpis)) continue;
    const change = doc.change?.[id];
    const moved = change && change.delta !== null ? ` (${formatChange(change, def.unit)} on the month before)` : '';
    lines.push(`  ${def.label}: ${formatValue(doc.kpis[id], def.unit)}${moved}`);
  }
  return lines;
}
