import { at, exportUnits, talliedReader, type AdapterReader } from './common.ts';
import { isFailure, type JsonItem } from './json.ts';
import { indexKeys, itemRecords, itemsOf, wantedKeys, type OtelItem, type Wanted } from './otel.ts';
import { otelIndex, TraceFactsBuilder } from './otelIndex.ts';
import type { OtelOptions } from './options.ts';

/** The top-level keys whose array elements are units of a pretty-printed OpenTelemetry document. */
export const OTEL_DESCEND: ReadonlySet<string> = new Set(['resourceSpans', 'resourceLogs', 'spans']);

/** The items of one JSON unit of an OpenTelemetry file (spans and log records, or why it is unreadable). */
export function otelItems(unit: JsonItem, wanted: Wanted): Iterable<OtelItem> {
  if (isFailure(unit)) return [{ kind: 'unreadable', error: `${at(unit.line)}: ${unit.error}`, raw: unit.raw, line: unit.line }];
  return itemsOf(unit.value, unit.key, unit.line, wanted);
}

/**
 * The items of a file, a unit (usually a line of many spans) at a time: looping over each unit's items
 * synchronously spares an async generator step per span.
 */
async function* otelUnits(file: string, wanted: Wanted): AsyncGenerator<Iterable<OtelItem>> {
  for await (const unit of exportUnits(file, OTEL_DESCEND)) yield otelItems(unit, wanted);
}

/**
 * An OpenTelemetry file in two streaming passes: the first learns what its traces share (otelIndex.ts), the
 * second maps every item with that knowledge. (src/data/otelIngest.ts reads a file of one request per line in
 * one pass over parallel chunks instead, to the same rows.)
 */
export function otelReader(file: string, options: OtelOptions): AdapterReader {
  return talliedReader('otel', async function* (tally) {
    const facts = new TraceFactsBuilder(options);
    for await (const items of otelUnits(file, indexKeys(options))) for (const item of items) if (item.kind === 'span') facts.add(item.span);
    const index = otelIndex(facts.traces);
    for await (const items of otelUnits(file, wantedKeys(options)))
      for (const item of items) for (const r of itemRecords(item, index, options)) yield* tally.record(r.unit, r.raw, r.outcome);
  });
}
