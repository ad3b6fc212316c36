import { sqlString } from '../db/connection.ts';
import { EVENT_FIELDS, EVENT_TYPES, FIELD_NAMES, LOWER_BOUNDS, REQUIRED_NAME, REQUIRED_SUCCESS, type FieldName } from './schema.ts';
import { TS_LIMIT_MS } from './timestamp.ts';

/**
 * The value rules of events.md as SQL over a whole NDJSON file, for speed (issue 3 allows it): DuckDB parses and
 * checks every line in one pass instead of JSON.parse and zod per row. It only ever *accepts*: a line it accepts
 * gets exactly the values the zod schema would give it; any other line (an invalid one, or a form this SQL leaves
 * alone, such as a NaN or an offset-less date-time) goes to the zod path, which decides it and names the
 * reason. test/data/sqlValidation.test.ts proves on every fixture that both paths end with the same rows.
 */

/** The lines of an NDJSON file as DuckDB's reader sees them (non-blank lines, in file order), one JSON text each. */
export function ndjsonLinesSql(file: string, gzip: boolean): string {
  return `SELECT json AS j FROM read_ndjson_objects(${sqlString(file)}, ignore_errors = true, compression = '${gzip ? 'gzip' : 'uncompressed'}')`;
}

/**
 * The checks over a table of such lines (made by ndjsonLinesSql, so its rowid is the line's ordinal - 1), or over
 * its rowids `from` ≤ rowid < `to`: one row per line with `ord` (1-based), `accepted`, `unknown` (the names of
 * non-canonical keys, or NULL when there are none) and the canonical columns (`ts` as TIMESTAMPTZ), which hold
 * the parsed values when `accepted`.
 */
export function checkedLinesSql(lines: string, range?: { from: number; to: number }): string {
  const paths = `[${FIELD_NAMES.map((f) => sqlString(`$.${f}`)).join(', ')}]`;
  const jsonColumns = FIELD_NAMES.map((f, i) => {
    const columns = [`v[${i + 1}] AS ${f}_j`, `left(v[${i + 1}], 1) AS ${f}_c`];
    if (['number', 'integer', 'timestamp'].includes(EVENT_FIELDS[f])) columns.push(`TRY_CAST(v[${i + 1}] AS DOUBLE) AS ${f}_n`);
    return columns.join(', ');
  });
  const knownCount = FIELD_NAMES.map((_, i) => `(v[${i + 1}] IS NOT NULL)::INTEGER`).join(' + ');
  return `
    -- NOT MATERIALIZED: each step is used once, and DuckDB would otherwise store the wide intermediate rows.
    WITH parsed AS NOT MATERIALIZED (
      SELECT rowid + 1 AS ord, j, json_keys(j) AS k, json_extract(j, ${paths})::VARCHAR[] AS v FROM ${lines}
      ${range ? `WHERE rowid >= ${range.from} AND rowid < ${range.to}` : ''}
    ),
    fields AS NOT MATERIALIZED (
      SELECT ord, j, k, (${knownCount}) AS known, ${jsonColumns.join(', ')} FROM parsed
    ),
    keyed AS NOT MATERIALIZED (
      -- Keys beyond the known ones are unknown fields (reported, never a reason to reject) or a repeated key,
      -- which JSON.parse resolves differently from DuckDB: the line is left to zod.
      SELECT *, CASE WHEN len(k) > known THEN list_filter(k, key -> NOT list_contains(${sqlList(FIELD_NAMES)}, key)) END AS unknown,
        CASE WHEN ${isString('type')} THEN ${stringValue('type')} END AS type_v
      FROM fields
    ),
    stamped AS NOT MATERIALIZED (
      SELECT *, CASE WHEN ts_c = '"' AND NOT (${isUtcDateTime('ts_j')}) THEN ${dateTimeParts(stringValue('ts'))} END AS p FROM keyed
    ),
    t AS NOT MATERIALIZED (
      SELECT *, ${timestampMs()} AS ts_ms FROM stamped
    )
    SELECT ord,
      coalesce(json_type(j) = 'OBJECT' AND ${wellFormedText('j')} AND len(k) = known + coalesce(len(unknown), 0)
        AND ${FIELD_NAMES.map((f) => `(${fieldAccepted(f)})`).join(' AND ')} AND ${crossFieldRules()}, false) AS accepted,
      CASE WHEN len(unknown) > 0 THEN unknown END AS unknown,
      ${FIELD_NAMES.map((f) => `${fieldValue(f)} AS ${f}`).join(', ')}
    FROM t`;
}

const sqlList = (items: readonly string[]) => `[${items.map(sqlString).join(', ')}]`;

/**
 * Lines whose JSON text this SQL does not take on: what DuckDB's parser tolerates but JSON.parse does not (NaN,
 * Infinity, a trailing comma). A string value that merely contains such text is sent to zod too, which costs
 * nothing but time. (Lone surrogates make DuckDB's parser reject the line, which sends it to zod as well.)
 */
const wellFormedText = (j: string) =>
  `NOT contains(${j}, 'NaN') AND NOT contains(${j}, 'Infinity') AND NOT regexp_matches(${j}, ',\\s*[}\\]]')`;

/*
 * A value's JSON type is read from the first character of its JSON text (`f_c`): a quote for a string, t or f for
 * a boolean, n for null, { or [ for an object or array, anything else a number. Absent keys are SQL NULL.
 */
const isNull = (f: string) => `(${f}_j IS NULL OR ${f}_c = 'n')`;
const isString = (f: string) => `${f}_c = '"'`;
const isNumber = (f: string) => `${f}_c NOT IN ('"', 't', 'f', 'n', '{', '[')`;
/** Present: neither absent, JSON null nor "" (events.md "Missing"). */
const present = (f: string) => `(NOT ${isNull(f)} AND ${f}_j <> '""')`;
/** A string's value: its JSON text without the quotes, unescaped by the JSON parser only when it holds an escape. */
const stringValue = (f: string) => `CASE WHEN contains(${f}_j, '\\') THEN ${f}_j::JSON ->> '$' ELSE ${f}_j[2:-2] END`;
/** A number's value (its JSON text cast to DOUBLE once, in `fields`). */
const numeric = (f: string) => `${f}_n`;

function fieldAccepted(f: FieldName): string {
  const min = LOWER_BOUNDS[f];
  const bound = min ? ` AND ${numeric(f)} ${min.inclusive ? '>=' : '>'} ${min.value}` : '';
  switch (EVENT_FIELDS[f]) {
    case 'string':
      if (f === 'event_id') return `${present(f)} AND ${isString(f)}`;
      // conversation_id on a health check is dropped before validation, whatever it holds.
      if (f === 'conversation_id') return `type_v = 'health_check' OR ${isNull(f)} OR ${isString(f)}`;
      return `${isNull(f)} OR ${isString(f)}`;
    case 'type':
      return `${isString(f)} AND type_v IN (${EVENT_TYPES.map(sqlString).join(', ')})`;
    case 'number':
      return `${isNull(f)} OR ${isNumber(f)} AND isfinite(${numeric(f)})${bound}`;
    case 'integer':
      return `${isNull(f)} OR ${isNumber(f)} AND isfinite(${numeric(f)}) AND ${numeric(f)} = trunc(${numeric(f)})${bound}`;
    case 'boolean':
      return `${isNull(f)} OR ${f}_c IN ('t', 'f')`;
    case 'timestamp':
      return `ts_ms IS NOT NULL AND ts_ms >= 0 AND ts_ms < ${TS_LIMIT_MS}`;
  }
}

function fieldValue(f: FieldName): string {
  switch (EVENT_FIELDS[f]) {
    case 'string':
    case 'type': {
      const value = `CASE WHEN ${present(f)} THEN ${stringValue(f)} END`;
      return f === 'conversation_id' ? `CASE WHEN type_v = 'health_check' THEN NULL ELSE ${value} END` : value;
    }
    case 'number':
    case 'integer':
      return `CASE WHEN ${present(f)} THEN ${numeric(f)} END`;
    case 'boolean':
      return `CASE WHEN ${present(f)} THEN ${f}_j = 'true' END`;
    case 'timestamp':
      return `epoch_ms(ts_ms)::TIMESTAMPTZ`;
  }
}

/** The cross-field rules of the zod schema's superRefine: required fields per type, score within its scale. */
function crossFieldRules(): string {
  const inList = (types: readonly string[]) => `type_v IN (${types.map(sqlString).join(', ')})`;
  return `(type_v = 'health_check' OR ${present('conversation_id')})
    AND (NOT ${inList(REQUIRED_SUCCESS)} OR ${present('success')})
    AND (NOT ${inList(REQUIRED_NAME)} OR ${present('name')})
    AND (type_v IS DISTINCT FROM 'feedback' OR ${present('score')} AND ${present('scale_max')})
    AND (NOT (${present('score')} AND ${present('scale_max')}) OR ${numeric('score')} BETWEEN 0 AND ${numeric('scale_max')})`;
}

/** The parts of an RFC 3339 date-time with offset (the pattern of timestamp.ts, offset required), as a struct of strings. */
function dateTimeParts(text: string): string {
  const pattern = `'^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]+))?([Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)$'`;
  return `regexp_extract(${text}, ${pattern}, ['y', 'mo', 'd', 'h', 'mi', 's', 'frac', 'off'])`;
}

/**
 * `ts` in whole epoch milliseconds, or NULL when the SQL does not accept it. Epoch numbers are truncated;
 * date-times follow timestamp.ts (calendar checks, days-from-civil arithmetic), except that one without an
 * offset is left to zod, which rejects it with its reason.
 */
function timestampMs(): string {
  return `CASE
      WHEN ${isNumber('ts')} THEN CASE WHEN isfinite(${numeric('ts')}) AND ${numeric('ts')} >= 0 AND ${numeric('ts')} < ${TS_LIMIT_MS} THEN trunc(${numeric('ts')})::BIGINT END
      WHEN ${isUtcDateTime('ts_j')} THEN epoch_ms(TRY_CAST(ts_j[2:-2] AS TIMESTAMPTZ))
      WHEN ts_c = '"' THEN ${dateTimeMs('p')}
    END`;
}

/**
 * The usual form, 2026-05-03T10:15:00.123Z (up to six fraction digits, so DuckDB's microseconds hold them
 * exactly): DuckDB's own cast gives its instant, an order of magnitude faster than the parts below. The cast
 * rejects impossible dates and times itself, except hour 24, which it reads as the next day.
 */
const isUtcDateTime = (json: string) =>
  `regexp_full_match(${json}, '"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?Z"') AND ${json}[13:14] <= '23'`;

/** Epoch ms of the date-time parts `p`, or NULL when they are not a real instant. */
function dateTimeMs(p: string): string {
  const int = (part: string) => `TRY_CAST(${p}.${part} AS BIGINT)`;
  const [y, mo, d, h, mi, s] = ['y', 'mo', 'd', 'h', 'mi', 's'].map(int);
  const leap = `(${y} % 4 = 0 AND ${y} % 100 <> 0 OR ${y} % 400 = 0)`;
  const daysInMonth = `CASE WHEN ${mo} = 2 THEN CASE WHEN ${leap} THEN 29 ELSE 28 END WHEN ${mo} IN (4, 6, 9, 11) THEN 30 ELSE 31 END`;
  // Howard Hinnant's days_from_civil, as timestamp.ts; years before 1969 are left to zod (they are out of range).
  const yy = `(${y} - CASE WHEN ${mo} <= 2 THEN 1 ELSE 0 END)`;
  const era = `(${yy} // 400)`;
  const yoe = `(${yy} - ${era} * 400)`;
  const doy = `((153 * (${mo} + CASE WHEN ${mo} > 2 THEN -3 ELSE 9 END) + 2) // 5 + ${d} - 1)`;
  const days = `(${era} * 146097 + ${yoe} * 365 + ${yoe} // 4 - ${yoe} // 100 + ${doy} - 719468)`;
  const offset = `replace(${p}.off, ':', '')`;
  const offsetHours = `CASE WHEN ${p}.off IN ('Z', 'z') THEN 0 ELSE TRY_CAST(${offset}[2:3] AS BIGINT) END`;
  const offsetMinutes = `CASE WHEN length(${offset}) = 5 THEN TRY_CAST(${offset}[4:5] AS BIGINT) ELSE 0 END`;
  const sign = `CASE WHEN ${p}.off[1] = '-' THEN -1 ELSE 1 END`;
  const millis = `CASE WHEN ${p}.frac = '' THEN 0 ELSE TRY_CAST(rpad(${p}.frac[1:3], 3, '0') AS BIGINT) END`;
  return `CASE WHEN ${y} >= 1969 AND ${mo} BETWEEN 1 AND 12 AND ${d} BETWEEN 1 AND ${daysInMonth}
      AND ${h} <= 23 AND ${mi} <= 59 AND ${s} <= 59 AND ${offsetHours} <= 23 AND ${offsetMinutes} <= 59
    THEN ((${days} * 24 + ${h}) * 60 + ${mi}) * 60000 + ${s} * 1000 + ${millis} - ${sign} * (${offsetHours} * 60 + ${offsetMinutes}) * 60000
    END`;
}
