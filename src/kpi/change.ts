/** `change` of the export: delta = current − previous, relative = delta / previous (null when undefined). */
export interface Change {
  delta: number | null;
  relative: number | null;
}

export function changeOf(current: number | null, previous: number | null): Change {
  if (current === null || previous === null) return { delta: null, relative: null };
  const delta = current - previous;
  return { delta, relative: previous === 0 ? null : delta / previous };
}

export function changesOf<K extends string>(current: Record<K, number | null>, previous: Record<K, number | null>): Record<K, Change> {
  const out = {} as Record<K, Change>;
  for (const key of Object.keys(current) as K[]) out[key] = changeOf(current[key], previous[key] ?? null);
  return out;
}
