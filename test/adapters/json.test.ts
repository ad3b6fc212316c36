import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { jsonUnits, parseJson, quoteLongIntegers, type JsonItem } from '../../src/data/adapters/json.ts';

const units = async (text: string, descend: string[] = []): Promise<JsonItem[]> => {
  const out: JsonItem[] = [];
  // Small chunks, so that values and strings are split between chunks as in a real stream.
  const chunks = text.match(/[\s\S]{1,7}/g) ?? [];
  for await (const item of jsonUnits(Readable.from(chunks.map((c) => Buffer.from(c))), new Set(descend))) out.push(item);
  return out;
};

describe('JSON units of a platform export', () => {
  it('reads one value per line (the Collector file exporter, rasa export)', async () => {
    expect(await units('{"a":1}\n\n{"b":[1,2]}\r\n  {"c":"}{"}\n')).toEqual([
      { value: { a: 1 }, key: undefined, line: 1 },
      { value: { b: [1, 2] }, key: undefined, line: 3 },
      { value: { c: '}{' }, key: undefined, line: 4 },
    ]);
  });

  it('yields the elements of a top-level array, one-line or pretty-printed', async () => {
    expect(await units('[{"a":1},{"b":2}]')).toEqual([
      { value: { a: 1 }, key: '', line: 1 },
      { value: { b: 2 }, key: '', line: 1 },
    ]);
    expect(await units('[\n  {\n    "a": "x]"\n  },\n  {"b": [2]}\n]\n')).toEqual([
      { value: { a: 'x]' }, key: '', line: 2 },
      { value: { b: [2] }, key: '', line: 5 },
    ]);
  });

  it('descends into the arrays of the named top-level keys of a pretty-printed document, whatever comes before', async () => {
    const doc = JSON.stringify({ '@odata.context': 'x', value: [{ id: 1, s: 'a "quoted" \\ value' }, { id: 2 }], other: [{ id: 3 }] }, null, 2);
    expect(await units(doc, ['value'])).toEqual([
      { value: { id: 1, s: 'a "quoted" \\ value' }, key: 'value', line: 4 },
      { value: { id: 2 }, key: 'value', line: 8 },
    ]);
  });

  it('yields a pretty-printed object without such a key whole, and several in a row (the SDK console exporter)', async () => {
    const a = JSON.stringify({ name: 'a', context: { trace_id: '0x1' } }, null, 4);
    const b = JSON.stringify({ name: 'b', nested: { value: [1] } }, null, 4);
    expect(await units(`${a}\n${b}\n`, ['value'])).toEqual([
      { value: { name: 'a', context: { trace_id: '0x1' } }, key: undefined, line: 1 },
      { value: { name: 'b', nested: { value: [1] } }, key: undefined, line: 7 },
    ]);
  });

  it('reports what is not JSON with its line, and a value that never closes', async () => {
    const items = await units('{"a":1}\n{"a":\n');
    expect(items[0]).toEqual({ value: { a: 1 }, key: undefined, line: 1 });
    expect(items[1]).toMatchObject({ error: 'JSON value never closed (truncated file?)', line: 2 });
    expect(await units('{"a":1} trailing}\n')).toMatchObject([{ line: 1, error: expect.stringContaining('not valid JSON') }]);
    expect(await units('hello\n')).toMatchObject([{ line: 1, error: 'not JSON', raw: 'hello' }]);
  });

  it('keeps integers beyond 2^53 as their digits (the SDK trace ids), and leaves strings and floats alone', () => {
    const text = '{"trace_id": 100927429609276267646756448943279827607, "s": "12345678901234567890", "f": 1.5e300, "n": [12345678901234567]}';
    expect(quoteLongIntegers(text)).toBe('{"trace_id": "100927429609276267646756448943279827607", "s": "12345678901234567890", "f": 1.5e300, "n": ["12345678901234567"]}');
    expect(parseJson(text)).toEqual({ trace_id: '100927429609276267646756448943279827607', s: '12345678901234567890', f: 1.5e300, n: ['12345678901234567'] });
    expect(parseJson('{"ns": "1544712660000000000", "n": 42}')).toEqual({ ns: '1544712660000000000', n: 42 });
  });
});
