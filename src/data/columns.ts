import { EVENT_FIELDS, FIELD_NAMES, type FieldKind, type FieldName } from './schema.ts';

/** The DuckDB/Parquet type of each kind of canonical field (integers stay DOUBLE: any whole number is accepted). */
const DUCK_TYPES: Record<FieldKind, string> = {
  string: 'VARCHAR',
  type: 'VARCHAR',
  timestamp: 'TIMESTAMPTZ',
  number: 'DOUBLE',
  integer: 'DOUBLE',
  boolean: 'BOOLEAN',
};

export const duckType = (field: FieldName): string => DUCK_TYPES[EVENT_FIELDS[field]];

/** `event_id, ts, …` in canonical order. */
export const CANONICAL_COLUMNS = FIELD_NAMES.join(', ');

/** True when every canonical field of `a` and `b` has the same value (NULLs equal). */
export function identicalPredicate(a: string, b: string): string {
  return FIELD_NAMES.map((f) => `${a}.${f} IS NOT DISTINCT FROM ${b}.${f}`).join(' AND ');
}
