import yaml from 'js-yaml';
import { formatChange, formatValue } from '../format/index.ts';
import { interpretationNotes, operationalFlags } from '../insights/index.ts';
import type { Cadence } from '../kpi/periods.ts';
import { kpiById, type KpiId } from '../kpi/registry.ts';
import type { PeriodDocument } from '../kpi/results.ts';
import { actionOutcome } from './actions.ts';
import type { Review } from './schema.ts';

/** The headline figures a new review starts from (the executive view's KPIs). */
const HEADLINE_KPIS: KpiId[] = ['conversations', 'resolution_rate', 'escalation_rate', 'satisfaction_rate', 'cost_per_resolved_usd'];

const CADENCE_WORDS: Record<Cadence, { adjective: string; noun: string }> = {
  week: { adjective: 'Weekly', noun: 'week' },
  month: { adjective: 'Monthly', noun: 'month' },
  quarter: { adjective: 'Quarterly', noun: 'quarter' },
};

/** Text from the data (segment values, names) made inert in MDX, where `<` and `{` start JSX. */
export function mdxText(text: string): string {
  return text.replace(/[<>{}&]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function figureLine(doc: PeriodDocument, id: KpiId): string {
  const def = kpiById(id)!;
  const change = doc.change?.[id];
  return `- <Kpi id="${id}" /> — ${formatValue(doc.kpis[id], def.unit)}${change ? ` (${formatChange(change, def.unit)})` : ''} when this file was written`;
}

/**
 * A new review, prefilled from the results: the frontmatter (a draft whose primary KPI is the first flagged
 * one, else resolution rate), the headline figures, the period's flags and interpretation notes, and the
 * previous review's actions with what happened to their KPI, to report on.
 */
export function scaffoldReview(periods: PeriodDocument[], index: number, previousReview: Review | undefined): string {
  const doc = periods[index];
  const words = CADENCE_WORDS[doc.cadence];
  const flags = operationalFlags(periods, index);
  const notes = interpretationNotes(doc, periods[index - 1] ?? null);
  const frontmatter = {
    title: `${words.adjective} review ${doc.period}`,
    status: 'draft',
    authors: ['Your name'],
    summary: `One sentence: what moved this ${words.noun}, and why.`,
    primary_kpi: flags[0]?.kpi ?? 'resolution_rate',
    causes: [],
    actions: [],
  };
  const lines = [
    '---',
    yaml.dump(frontmatter, { lineWidth: 120, flowLevel: 2 }).trimEnd(),
    '---',
    '',
    `{/* Scaffolded by \`kpi-review new-review\`. The components always show the current figures; the numbers after`,
    `   them are what they were when this file was written. Actions take: title, owner, kpi and`,
    `   expected: { direction: up|down, size: 3, unit: pp|percent, segment: "intent: billing" }. */}`,
    '',
    '## Headline figures',
    '',
    ...HEADLINE_KPIS.map((id) => figureLine(doc, id)),
    '',
    '## What the checks flagged',
    '',
    ...(flags.length ? flags.map((f) => mdxText(`- ${kpiById(f.kpi)!.label}${f.segment ? ` (${f.segment.dimension}: ${f.segment.value})` : ''}${f.breakdown ? ` (tool: ${f.breakdown.name})` : ''}: ${formatValue(f.current, kpiById(f.kpi)!.unit)} against a baseline of ${formatValue(f.baseline, kpiById(f.kpi)!.unit)} — ${f.rule}.`)) : ['- Nothing was flagged against the trailing baseline.']),
    '',
    '## How to read it',
    '',
    ...(notes.length ? notes.map((n) => `- **${mdxText(n.title)}.** ${mdxText(n.text)}`) : ['- No interpretation rule was triggered.']),
  ];
  if (previousReview && previousReview.actions.length && index > 0) {
    lines.push('', `## Last ${words.noun}'s actions`, '');
    for (const action of previousReview.actions) {
      const o = actionOutcome(action, periods[index - 1], doc);
      const unit = kpiById(action.kpi)!.unit;
      lines.push(mdxText(`- ${action.title} (${action.owner}): ${kpiById(action.kpi)!.label}${o.segment ? ` in ${o.segment.dimension} ${o.segment.value}` : ''} ${formatValue(o.before, unit)} → ${formatValue(o.after, unit)}: `) + `**${o.verdict}** (${mdxText(o.reason)}).`);
    }
  }
  return lines.join('\n') + '\n';
}
