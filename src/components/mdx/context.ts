import type { ReviewContext } from '../../site/mdxView.ts';

/** The period of the page an MDX component is rendered in (set by the period page before its review). */
export function reviewContext(locals: App.Locals): ReviewContext & { path: string } {
  if (!locals.reviewPeriod) throw new Error('review components render only inside a period page\'s review');
  return locals.reviewPeriod;
}

/** A fresh, page-unique id for a chart a review draws. */
export function nextChartId(locals: App.Locals): string {
  const context = locals.reviewPeriod!;
  context.charts += 1;
  return `review-chart-${context.charts}`;
}
