import { localMidnight } from '../kpi/periods.ts';
import type { AnnotationEntry } from './schema.ts';

/** The instant of an annotation: a bare date is local midnight of that day in the report time zone. */
export function annotationInstant(annotation: Pick<AnnotationEntry, 'date'>, timezone: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(annotation.date);
  return m ? localMidnight({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, timezone) : Date.parse(annotation.date);
}

/** The annotations dated within [start, end), oldest first. */
export function annotationsWithin<T extends Pick<AnnotationEntry, 'date'>>(annotations: T[], startMs: number, endMs: number, timezone: string): T[] {
  return annotations
    .map((a) => ({ a, at: annotationInstant(a, timezone) }))
    .filter(({ at }) => at >= startMs && at < endMs)
    .sort((x, y) => x.at - y.at)
    .map(({ a }) => a);
}
