import type { Readable } from 'node:stream';
import { isBlank, linesOf } from '../readers/lines.ts';

/**
 * Streaming JSON for platform exports. Three layouts are read the same way, with memory bounded by the largest
 * unit rather than the file:
 * - one JSON value per line (the OpenTelemetry Collector's file exporter, `rasa export`, NDJSON rows);
 * - one pretty-printed document (a top-level array, or an object whose `descend` keys hold arrays: OTLP
 *   `resourceSpans`, OData `value`): each element of those arrays is a unit;
 * - several pretty-printed documents one after another (the OpenTelemetry SDK's console exporter).
 * Integers too long for a double (the SDK's 128-bit trace ids) are read as strings, never rounded.
 */

export interface JsonUnit {
  value: unknown;
  /** undefined: a whole top-level value; '': an element of a top-level array; else the top-level key whose array held it. */
  key: string | undefined;
  /** 1-based line where the unit starts. */
  line: number;
}

export interface JsonFailure {
  error: string;
  line: number;
  raw: string;
}

export type JsonItem = JsonUnit | JsonFailure;

export const isFailure = (item: JsonItem): item is JsonFailure => 'error' in item;

// A number token of 16 or more digits after `:`, `,` or `[` may not survive as a double (2^53 has 16 digits).
const LONG_INTEGER_HINT = /[:,[]\s*-?\d{16}/;
const TOKENS = /"(?:[^"\\]|\\.)*"|-?\d{16,}(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/** Puts integer tokens of 16+ digits in quotes (outside strings) so that JSON.parse keeps every digit. */
export function quoteLongIntegers(text: string): string {
  return text.replace(TOKENS, (token) => (token.charCodeAt(0) === 34 || /[.eE]/.test(token) ? token : `"${token}"`));
}

/** JSON.parse that keeps long integers as digit strings. */
export function parseJson(text: string): unknown {
  return JSON.parse(!isOtlpRequest(text) && LONG_INTEGER_HINT.test(text) ? quoteLongIntegers(text) : text);
}

/**
 * Whether a value's text is an OTLP/JSON request (it begins `{"resourceSpans"` or `{"resourceLogs"`): OTLP/JSON
 * writes 64-bit integers as strings and ids as hex, so the long-integer search over a line of many spans is spared.
 */
function isOtlpRequest(text: string): boolean {
  return text.startsWith('{"resourceSpans"') || text.startsWith('{"resourceLogs"');
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Scanner state for values that span lines. */
class Scanner {
  depth = 0;
  inString = false;
  escape = false;
  /** The kind of the top-level value being scanned: `{`, `[` or none. */
  top: 123 | 91 | 0 = 0;
  topLine = 0;
  /** Text of the whole top-level object, kept until it turns out to hold a `descend` array. */
  topParts: string[] | null = null;
  topFrom = 0;
  expectKey = false;
  keyFrom = -1;
  key: string | null = null;
  /** Inside the array of a `descend` key (depth 2). */
  inArray = false;
  elemParts: string[] | null = null;
  elemFrom = 0;
  elemDepth = 0;
  elemLine = 0;
  elemKey: string | undefined = undefined;
  garbage = '';
  garbageLine = 0;

  private readonly descend: ReadonlySet<string>;
  constructor(descend: ReadonlySet<string>) {
    this.descend = descend;
  }

  get idle(): boolean {
    return this.top === 0 && !this.garbage;
  }

  /** Feeds one line (without its break); returns the units and failures it completes. */
  feed(line: string, number: number): JsonItem[] {
    const out: JsonItem[] = [];
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 92) this.escape = true;
        else if (c === 34) {
          this.inString = false;
          if (this.keyFrom >= 0) {
            try {
              this.key = JSON.parse(line.slice(this.keyFrom, i + 1)) as string;
            } catch {
              this.key = null;
            }
            this.keyFrom = -1;
          }
        }
        continue;
      }
      if (this.top === 0) {
        if (c === 123 || c === 91) {
          this.flushGarbage(out);
          this.top = c;
          this.topLine = number;
          this.depth = 1;
          this.topParts = c === 123 ? [] : null;
          this.topFrom = i;
          this.expectKey = c === 123;
          this.key = null;
          this.inArray = false;
        } else if (c !== 32 && c !== 9 && c !== 13) {
          if (!this.garbage) this.garbageLine = number;
          this.garbage += line[i];
        }
        continue;
      }
      switch (c) {
        case 34:
          this.inString = true;
          if (this.depth === 1 && this.top === 123 && this.expectKey) {
            this.keyFrom = i;
            this.expectKey = false;
          }
          break;
        case 123:
        case 91: {
          const elementDepth = (this.top === 91 && this.depth === 1) || (this.inArray && this.depth === 2);
          if (elementDepth && this.elemParts === null) {
            this.elemParts = [];
            this.elemFrom = i;
            this.elemDepth = this.depth;
            this.elemLine = number;
            this.elemKey = this.top === 91 ? '' : (this.key ?? undefined);
          }
          this.depth++;
          if (this.depth === 2 && this.top === 123 && c === 91 && this.key !== null && this.descend.has(this.key)) {
            this.inArray = true;
            this.topParts = null;
          }
          break;
        }
        case 125:
        case 93:
          this.depth--;
          if (this.elemParts !== null && this.depth === this.elemDepth) {
            const text = this.elemParts.join('') + line.slice(this.elemFrom, i + 1);
            out.push(unit(text, this.elemKey, this.elemLine));
            this.elemParts = null;
          }
          if (this.inArray && this.depth === 1) this.inArray = false;
          if (this.depth === 0) {
            if (this.topParts !== null) out.push(unit(this.topParts.join('') + line.slice(this.topFrom, i + 1), undefined, this.topLine));
            this.top = 0;
            this.topParts = null;
          }
          break;
        case 44:
          if (this.depth === 1 && this.top === 123) this.expectKey = true;
          break;
      }
    }
    if (this.top !== 0) {
      if (this.topParts !== null) this.topParts.push(line.slice(this.topFrom) + '\n');
      this.topFrom = 0;
      if (this.elemParts !== null) this.elemParts.push(line.slice(this.elemFrom) + '\n');
      this.elemFrom = 0;
    }
    return out;
  }

  flushGarbage(out: JsonItem[]): void {
    if (!this.garbage) return;
    out.push({ error: 'not JSON', line: this.garbageLine, raw: this.garbage });
    this.garbage = '';
  }

  end(out: JsonItem[]): void {
    this.flushGarbage(out);
    if (this.top !== 0) out.push({ error: 'JSON value never closed (truncated file?)', line: this.topLine, raw: '' });
  }
}

function unit(text: string, key: string | undefined, line: number): JsonItem {
  try {
    return { value: parseJson(text), key, line };
  } catch (error) {
    return { error: `not valid JSON (${(error as Error).message})`, line, raw: text };
  }
}

/** A line's text, trimmed, when it holds one whole JSON object or array (the line-per-value layout); else undefined. */
export function wholeValue(line: string): string | undefined {
  const t = line.trim();
  const first = t.charCodeAt(0);
  const last = t.charCodeAt(t.length - 1);
  return (first === 123 && last === 125) || (first === 91 && last === 93) ? t : undefined;
}

/** The units of line `number`, whose trimmed text `whole` holds one whole value: the value, or an array's elements. */
export function lineUnits(whole: string, line: string, number: number): JsonItem[] {
  let value: unknown;
  try {
    value = parseJson(whole);
  } catch (error) {
    return [{ error: `not valid JSON (${(error as Error).message})`, line: number, raw: line }];
  }
  if (Array.isArray(value)) return value.map((element) => ({ value: element, key: '', line: number }));
  if (isObject(value)) return [{ value, key: undefined, line: number }];
  return [{ error: 'not a JSON object', line: number, raw: line }];
}

/**
 * Yields the units of a JSON export (see the module comment). `descend` names the top-level keys whose array
 * elements are units of a multi-line top-level object; such an object is otherwise one unit.
 */
export async function* jsonUnits(stream: Readable, descend: ReadonlySet<string> = new Set()): AsyncGenerator<JsonItem> {
  const scanner = new Scanner(descend);
  for await (const [line, number] of linesOf(stream)) {
    if (scanner.idle) {
      if (isBlank(line)) continue;
      // The line-per-value fast path: a whole value on one line.
      const whole = wholeValue(line);
      if (whole !== undefined) {
        yield* lineUnits(whole, line, number);
        continue;
      }
    }
    yield* scanner.feed(line, number);
  }
  const rest: JsonItem[] = [];
  scanner.end(rest);
  yield* rest;
}
