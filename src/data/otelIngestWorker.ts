// A worker thread of otelIngest.ts: maps the chunks of an OpenTelemetry file it is sent, in one pass, and writes
// their rows and what they say of their traces to its own files.
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { isUserError, UserError } from '../errors.ts';
import { nanosToMs, Tally } from './adapters/common.ts';
import { lineUnits, wholeValue } from './adapters/json.ts';
import { conversationStart, itemRecords, ownFields, wantedKeys, type Contexts, type OtelRecord } from './adapters/otel.ts';
import { TraceFactsBuilder, type TraceFacts } from './adapters/otelIndex.ts';
import { otelItems } from './adapters/otelReader.ts';
import { jsonLine } from './ingest.ts';
import { isBlank } from './readers/lines.ts';
import type { SourceRecord } from './readers/source.ts';
import { validateEvent } from './schema.ts';
import type { ChunkMessage, ChunkResult, WorkerSetup } from './otelIngest.ts';

const { file, stagingFile, factsFile, options } = workerData as WorkerSetup;
const input = fs.openSync(file, 'r');
let buffer = Buffer.alloc(0);
const wanted = wantedKeys(options);
const staging = fs.openSync(stagingFile, 'w');
const factsOut = fs.openSync(factsFile, 'w');

/**
 * Until the whole file's traces are known, a span's conversation is its trace id and it inherits nothing; its
 * rows say so (`via`), and otelIngest.ts puts in what the trace shares once every chunk is read. So a row whose
 * conversation comes from its trace holds that trace's id as its conversation id.
 */
const provisional: Contexts = {
  context: (span) => ({ conversationId: span.traceId!, first: false, inherited: {} }),
  conversationOf: (traceId) => traceId,
};

/**
 * What a chunk says of a trace, as a row for otelIngest.ts: its conversation key and rank, the values its spans
 * share and its earliest mapped span here, with the conversation_started event that span would yield: its time
 * when the event is valid (what the trace shares cannot change that), else the span and the reason.
 */
function factsRow(chunk: number, traceId: string, facts: TraceFacts): string {
  const row: Record<string, unknown> = { chunk, trace_id: traceId, conv: facts.conv, rank: facts.conv === undefined ? undefined : facts.rank, ...facts.values };
  const origin = facts.origin;
  if (origin) {
    row.first_start = facts.firstStart!.toString();
    row.first_span = facts.firstSpan;
    row.rec = origin.rec;
    row.slot = origin.slot;
    for (const field in origin.own) row[`own_${field}`] = origin.own[field];
    // Nothing in it is missing: it goes to validation as it is.
    const start = validateEvent(conversationStart(`${traceId}:${facts.firstSpan}`, nanosToMs(facts.firstStart!), { conversation_id: traceId, ...origin.own }));
    if (start.ok) row.start_ms = start.event.ts;
    else Object.assign(row, { raw: JSON.stringify(origin.raw), reason: start.reason });
  }
  return jsonLine(row);
}

/** A chunk's text: its byte range read into this thread's buffer, or the bytes it was sent. */
function chunkText(message: ChunkMessage): string {
  if ('bytes' in message) return Buffer.from(message.bytes).toString('utf8');
  const { offset, length } = message.range;
  if (buffer.length < length) buffer = Buffer.allocUnsafe(length);
  for (let read = 0; read < length; ) {
    const n = fs.readSync(input, buffer, read, length - read, offset + read);
    if (n === 0) throw new UserError(`${file}: the file changed while it was read (still being written?); run again once the export is complete`);
    read += n;
  }
  return buffer.toString('utf8', 0, length);
}

function mapChunk(message: ChunkMessage): ChunkResult {
  const { chunk, firstLine } = message;
  let text = chunkText(message);
  if (chunk === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const tally = new Tally();
  const facts = new TraceFactsBuilder(options);
  const rows: string[] = [];
  const rejected: SourceRecord[] = [];
  let valid = 0;

  const stage = (record: SourceRecord, from: OtelRecord) => {
    const result = record.error ? { ok: false as const, reason: record.error } : validateEvent(record.values!);
    if (!result.ok) {
      rejected.push({ ...record, values: undefined, error: result.reason });
      return;
    }
    valid++;
    // The event is this row's alone: its bookkeeping goes in it (after its fields; DuckDB reads by name).
    rows.push(jsonLine(Object.assign(result.event, { chunk, k: record.ordinal, via: from.trace === undefined ? undefined : from.inherits ? 2 : 1 })));
  };

  let number = firstLine - 1;
  for (let start = 0; start < text.length; ) {
    let nl = text.indexOf('\n', start);
    if (nl === -1) nl = text.length;
    const line = text.slice(start, nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
    start = nl + 1;
    number++;
    if (isBlank(line)) continue;
    const whole = wholeValue(line);
    if (whole === undefined) return { chunk, notLineDelimited: number };
    for (const unit of lineUnits(whole, line, number)) {
      for (const item of otelItems(unit, wanted)) {
        // Where the span's conversation_started event would go: after its own events (see spanEvents).
        let slot = { rec: 0, slot: 0 };
        let mapped = false;
        for (const r of itemRecords(item, provisional, options)) {
          const records = tally.record(r.unit, r.raw, r.outcome);
          if (r.unit === 'span') {
            slot = { rec: tally.position, slot: records.length };
            mapped = !('skip' in r.outcome);
          }
          for (const record of records) stage(record, r);
        }
        if (item.kind === 'span') {
          const earliest = facts.add(item.span, mapped);
          if (earliest) earliest.origin = { ...slot, own: ownFields(item.span, options), raw: item.raw };
        }
      }
    }
  }
  if (rows.length) fs.writeSync(staging, rows.join('\n') + '\n');
  if (facts.traces.size) fs.writeSync(factsOut, [...facts.traces].map(([traceId, trace]) => factsRow(chunk, traceId, trace)).join('\n') + '\n');
  return { chunk, records: tally.position, valid, rejected, stats: tally.stats, unknownFields: [...tally.unknownFields] };
}

parentPort!.on('message', (message: ChunkMessage | { end: true }) => {
  try {
    if ('end' in message) {
      fs.closeSync(staging);
      fs.closeSync(factsOut);
      fs.closeSync(input);
      parentPort!.postMessage({ closed: true });
    } else parentPort!.postMessage(mapChunk(message));
  } catch (error) {
    parentPort!.postMessage({ failed: { message: (error as Error).message, user: isUserError(error) } });
  }
});
