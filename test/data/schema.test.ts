import { describe, expect, it } from 'vitest';
import { cellValue, splitCsvRecord } from '../../src/data/readers/csv.ts';
import { withoutMissing } from '../../src/data/readers/source.ts';
import { EVENT_TYPES, FIELD_NAMES, validateEvent, zodValidation, type CanonicalEvent } from '../../src/data/schema.ts';
import { ev, type Row } from './helpers.ts';

// events.md "Fields", "Event types" and "Values", rule by rule.
const TS = '2026-05-03T10:15:00Z';
const KNOWN = new Set<string>(FIELD_NAMES);

/** Validates a row the way the readers hand it over: missing values (absent, null, "") removed first. */
function check(row: Row): { ok: true; event: CanonicalEvent } | { ok: false; reason: string } {
  return validateEvent(withoutMissing(row, KNOWN, new Set()));
}
const accepted = (row: Row) => {
  const r = check(row);
  if (!r.ok) throw new Error(`rejected: ${r.reason}`);
  return r.event;
};
const rejected = (row: Row) => {
  const r = check(row);
  if (r.ok) throw new Error(`accepted: ${JSON.stringify(r.event)}`);
  return r.reason;
};
const msg = (extra: Row) => ev('e1', TS, 'user_message', extra);

describe('JSON types must match (NDJSON)', () => {
  it('rejects the string "true" where a boolean goes', () => {
    expect(rejected(ev('e1', TS, 'bot_message', { fallback: 'true' }))).toBe('fallback: expected true or false, got string "true"');
    expect(rejected(msg({ correction: 'false' }))).toBe('correction: expected true or false, got string "false"');
    expect(rejected(ev('e1', TS, 'task', { success: 'yes' }))).toBe('success: expected true or false, got string "yes"');
    expect(rejected(ev('e1', TS, 'task', { success: 1 }))).toBe('success: expected true or false, got number 1');
    expect(accepted(ev('e1', TS, 'bot_message', { fallback: false })).fallback).toBe(false);
  });

  it('rejects a number where a string goes', () => {
    expect(rejected(msg({ channel: 42 }))).toBe('channel: expected a string, got number 42');
    expect(rejected({ event_id: 5, ts: TS, conversation_id: 'c', type: 'resolved' })).toBe('event_id: expected a string, got number 5');
    expect(rejected(ev('e1', TS, 'goal', { name: 7 }))).toBe('name: expected a string, got number 7');
    expect(rejected(msg({ conversation_id: 12 }))).toBe('conversation_id: expected a string, got number 12');
    expect(rejected(msg({ text: true }))).toBe('text: expected a string, got boolean true');
    expect(rejected(msg({ intent: ['a'] }))).toBe('intent: expected a string, got object ["a"]');
  });

  it('rejects a string where a number goes', () => {
    expect(rejected(ev('e1', TS, 'bot_message', { latency_ms: '835.9' }))).toBe('latency_ms: expected a number, got string "835.9"');
    expect(rejected(ev('e1', TS, 'bot_message', { tokens_in: '+1' }))).toBe('tokens_in: expected a number, got string "+1"');
    expect(rejected(ev('e1', TS, 'feedback', { score: '1' }))).toBe('score: expected a number, got string "1"');
    expect(rejected(ev('e1', TS, 'bot_message', { cost_usd: '0.1' }))).toMatch(/^cost_usd: expected a number/);
  });

  it('takes any whole number for an integer field, and no fraction', () => {
    expect(accepted(ev('e1', TS, 'bot_message', { tokens_in: 12.0 })).tokens_in).toBe(12);
    expect(accepted(ev('e1', TS, 'bot_message', { tokens_out: 1e3 })).tokens_out).toBe(1000);
    expect(accepted(ev('e1', TS, 'bot_message', { tokens_out: 1e20 })).tokens_out).toBe(1e20);
    expect(accepted(ev('e1', TS, 'bot_message', { tokens_in: 0 })).tokens_in).toBe(0);
    expect(rejected(ev('e1', TS, 'bot_message', { tokens_in: 12.5 }))).toBe('tokens_in: expected a whole number, got 12.5');
  });

  it('rejects numbers that are not finite (a CSV cell 1e999)', () => {
    expect(rejected(ev('e1', TS, 'bot_message', { latency_ms: Infinity }))).toBe('latency_ms: expected a number, got number Infinity');
    expect(rejected(ev('e1', TS, 'bot_message', { tokens_in: Number.NaN }))).toMatch(/^tokens_in: /);
  });
});

describe('ranges hold on every event that carries the field', () => {
  it('rejects a negative latency on any type, user_message included', () => {
    for (const type of ['bot_message', 'tool_call', 'user_message', 'conversation_started']) {
      expect(rejected(ev('e1', TS, type, { latency_ms: -1 })), type).toBe('latency_ms: must be ≥ 0');
    }
    expect(accepted(ev('e1', TS, 'bot_message', { latency_ms: 0 })).latency_ms).toBe(0);
  });

  it('rejects negative tokens and costs', () => {
    expect(rejected(ev('e1', TS, 'retrieval', { tokens_in: -1 }))).toBe('tokens_in: must be ≥ 0');
    expect(rejected(ev('e1', TS, 'tool_call', { tokens_out: -3 }))).toBe('tokens_out: must be ≥ 0');
    expect(rejected(msg({ cost_usd: -0.01 }))).toBe('cost_usd: must be ≥ 0');
    expect(accepted(ev('e1', TS, 'tool_call', { cost_usd: 6.783e-3 })).cost_usd).toBe(0.006783);
  });

  it('requires scale_max > 0 wherever it is present', () => {
    expect(rejected(ev('e1', TS, 'feedback', { score: 0, scale_max: 0 }))).toBe('scale_max: must be > 0');
    expect(rejected(msg({ scale_max: -5 }))).toBe('scale_max: must be > 0');
  });

  it('requires 0 ≤ score ≤ scale_max when both are present, on any type', () => {
    expect(rejected(ev('e1', TS, 'feedback', { score: 7, scale_max: 5 }))).toBe('score: must be between 0 and scale_max (5), got 7');
    expect(rejected(msg({ score: 7, scale_max: 5 }))).toBe('score: must be between 0 and scale_max (5), got 7');
    expect(rejected(ev('e1', TS, 'feedback', { score: -1, scale_max: 5 }))).toBe('score: must be between 0 and scale_max (5), got -1');
    expect(accepted(ev('e1', TS, 'feedback', { score: 5, scale_max: 5 })).score).toBe(5);
    expect(accepted(ev('e1', TS, 'feedback', { score: 0, scale_max: 1 })).score).toBe(0);
    expect(accepted(ev('e1', TS, 'feedback', { score: 0.5, scale_max: 1 })).score).toBe(0.5);
  });

  it('reading: a score without a scale_max (on a type that does not need them) has no range', () => {
    // events.md: "with both present 0 ≤ score ≤ scale_max" — a lone score has nothing to be compared with.
    expect(accepted(msg({ score: 7 })).score).toBe(7);
  });
});

describe('required fields per type', () => {
  it('requires event_id, ts and type on every event', () => {
    expect(rejected({ ts: TS, conversation_id: 'c', type: 'resolved' })).toBe('event_id: missing (required)');
    expect(rejected({ event_id: 'e', conversation_id: 'c', type: 'resolved' })).toBe('ts: missing (required)');
    expect(rejected({ event_id: 'e', ts: TS, conversation_id: 'c' })).toBe('type: missing (required)');
  });

  it('requires conversation_id on every type but health_check', () => {
    for (const type of EVENT_TYPES) {
      const row = ev('e1', TS, type);
      delete row.conversation_id;
      if (type === 'health_check') expect(accepted(row).conversation_id).toBeUndefined();
      else expect(rejected(row), type).toBe('conversation_id: missing (required on every event but health_check)');
    }
  });

  it('requires success on task, tool_call, retrieval, review and health_check only', () => {
    for (const type of EVENT_TYPES) {
      const row = ev('e1', TS, type);
      delete row.success;
      if (['task', 'tool_call', 'retrieval', 'review', 'health_check'].includes(type))
        expect(rejected(row), type).toBe(`success: missing (required on type ${type})`);
      else expect(accepted(row).type).toBe(type);
    }
  });

  it('requires name on task, tool_call, error and goal; optional on handoff and retrieval', () => {
    for (const type of EVENT_TYPES) {
      const row = ev('e1', TS, type);
      delete row.name;
      if (['task', 'tool_call', 'error', 'goal'].includes(type)) expect(rejected(row), type).toBe(`name: missing (required on type ${type})`);
      else expect(accepted(row).type).toBe(type);
    }
    expect(accepted(ev('e1', TS, 'handoff', { name: 'tier1' })).name).toBe('tier1');
    expect(accepted(ev('e1', TS, 'retrieval', { name: 'kb' })).name).toBe('kb');
  });

  it('requires score and scale_max on feedback', () => {
    expect(rejected(ev('e1', TS, 'feedback', { score: undefined }))).toBe('score: missing (required on type feedback)');
    expect(rejected(ev('e1', TS, 'feedback', { scale_max: null }))).toBe('scale_max: missing (required on type feedback)');
    expect(rejected(ev('e1', TS, 'feedback', { score: '', scale_max: '' }))).toBe(
      'score: missing (required on type feedback); scale_max: missing (required on type feedback)',
    );
  });

  it('accepts every type with only its required fields', () => {
    for (const type of EVENT_TYPES) expect(accepted(ev('e1', TS, type)).type).toBe(type);
  });
});

describe('types', () => {
  it('rejects unknown and wrongly cased types', () => {
    expect(rejected(ev('e1', TS, 'fallbak'))).toBe('type: unknown value "fallbak"');
    expect(rejected(ev('e1', TS, 'Bot_Message'))).toBe('type: unknown value "Bot_Message"');
    expect(rejected(ev('e1', TS, 'USER_MESSAGE'))).toBe('type: unknown value "USER_MESSAGE"');
    expect(rejected(ev('e1', TS, ' user_message'))).toBe('type: unknown value " user_message"');
  });
});

describe('health_check', () => {
  it('drops a conversation_id before validation, whatever its value', () => {
    expect(accepted(ev('h1', TS, 'health_check', { conversation_id: 'c9' })).conversation_id).toBeUndefined();
    expect(accepted(ev('h1', TS, 'health_check', { conversation_id: 42 })).conversation_id).toBeUndefined();
    expect(accepted(ev('h1', TS, 'health_check', { conversation_id: { x: 1 } })).conversation_id).toBeUndefined();
  });

  it('keeps conversation_id on a wrongly cased health check, which is rejected for its type', () => {
    expect(rejected(ev('h1', TS, 'Health_Check', { conversation_id: 42 }))).toMatch(/^conversation_id: expected a string, got number 42; type: unknown value/);
  });
});

describe('missing values', () => {
  it('treats an absent key, null and "" alike', () => {
    for (const value of [undefined, null, '']) {
      expect(rejected({ event_id: value, ts: TS, conversation_id: 'c', type: 'resolved' })).toBe('event_id: missing (required)');
      expect(rejected({ event_id: 'e', ts: value, conversation_id: 'c', type: 'resolved' })).toBe('ts: missing (required)');
      expect(rejected({ event_id: 'e', ts: TS, conversation_id: value, type: 'resolved' })).toBe(
        'conversation_id: missing (required on every event but health_check)',
      );
      const event = accepted(msg({ channel: value, latency_ms: value, fallback: value, user_id: value }));
      expect(Object.keys(event).sort()).toEqual(['conversation_id', 'event_id', 'ts', 'type']);
    }
  });

  it('reading: a string of spaces is a value, not missing (only the empty string is)', () => {
    expect(accepted(msg({ channel: ' ' })).channel).toBe(' ');
  });

  it('keeps unknown extra fields out of the event and reports their names', () => {
    const unknown = new Set<string>();
    const values = withoutMissing({ ...msg({}), export_batch: 7, Channel: 'web', empty: null }, KNOWN, unknown);
    expect(values).toEqual(msg({}));
    expect([...unknown].sort()).toEqual(['Channel', 'empty', 'export_batch']);
  });

  it('reports every fault of a row in one reason', () => {
    expect(rejected(msg({ latency_ms: -1, channel: 3 }))).toBe('channel: expected a string, got number 3; latency_ms: must be ≥ 0');
  });
});

describe('CSV cells (cellValue)', () => {
  it('parses numbers in JSON number syntax only', () => {
    expect(cellValue('number', '12')).toBe(12);
    expect(cellValue('number', '-0.5')).toBe(-0.5);
    expect(cellValue('number', '6.783e-3')).toBe(0.006783);
    expect(cellValue('number', '1E3')).toBe(1000);
    for (const cell of ['+1', '.5', ' 12', '12 ', '1.', '0x10', '01', 'Infinity', 'NaN', '1,5', '1_000', '−1']) {
      expect(cellValue('number', cell), cell).toBe(cell);
    }
  });

  it('takes 12.0 and 1e3 as integers; leaves 12.5 for the schema to reject', () => {
    expect(cellValue('integer', '12.0')).toBe(12);
    expect(cellValue('integer', '1e3')).toBe(1000);
    expect(cellValue('integer', '12.5')).toBe(12.5);
    expect(rejected(ev('e1', TS, 'bot_message', { tokens_in: cellValue('integer', '12.5') }))).toBe('tokens_in: expected a whole number, got 12.5');
    expect(rejected(ev('e1', TS, 'bot_message', { tokens_in: cellValue('integer', ' 12') }))).toBe('tokens_in: expected a number, got string " 12"');
    expect(rejected(ev('e1', TS, 'bot_message', { latency_ms: cellValue('number', '1e999') }))).toBe(
      'latency_ms: expected a number, got number Infinity',
    );
  });

  it('reads booleans in any letter case, and nothing else', () => {
    for (const cell of ['true', 'TRUE', 'True', 'tRuE']) expect(cellValue('boolean', cell), cell).toBe(true);
    for (const cell of ['false', 'FALSE', 'False']) expect(cellValue('boolean', cell), cell).toBe(false);
    for (const cell of ['yes', '1', '0', 't', ' true', 'true ']) expect(cellValue('boolean', cell), cell).toBe(cell);
  });

  it('reads a number cell in the ts column as epoch milliseconds, anything else as a date-time', () => {
    expect(cellValue('timestamp', '1768471200000')).toBe(1768471200000);
    expect(cellValue('timestamp', '1773024656986.516')).toBe(1773024656986.516);
    expect(cellValue('timestamp', '-5')).toBe(-5);
    expect(cellValue('timestamp', TS)).toBe(TS);
    expect(cellValue('timestamp', '1768471200000ms')).toBe('1768471200000ms');
  });

  it('never trims text cells', () => {
    expect(cellValue('string', '  web ')).toBe('  web ');
    expect(cellValue('type', 'user_message ')).toBe('user_message ');
  });
});

describe('CSV records (splitCsvRecord)', () => {
  it('splits plain cells, keeping spaces and empty cells', () => {
    expect(splitCsvRecord('a, b ,,c,')).toEqual({ cells: ['a', ' b ', '', 'c', ''], complete: true });
  });

  it('reads quoted cells with commas, doubled quotes and line breaks', () => {
    expect(splitCsvRecord('"a,b","say ""hi""",""""')).toEqual({ cells: ['a,b', 'say "hi"', '"'], complete: true });
    expect(splitCsvRecord('x,"line 1\nline 2",y')).toEqual({ cells: ['x', 'line 1\nline 2', 'y'], complete: true });
    expect(splitCsvRecord('"",x')).toEqual({ cells: ['', 'x'], complete: true });
    expect(splitCsvRecord('"<script>alert(1)</script>",x')).toEqual({ cells: ['<script>alert(1)</script>', 'x'], complete: true });
  });

  it('says when a record ends inside a quoted cell', () => {
    expect(splitCsvRecord('a,"open cell').complete).toBe(false);
    expect(splitCsvRecord('a,"closed "" quote"').complete).toBe(true);
  });
});

describe('the plain-case check in front of zod', () => {
  // A seeded generator of candidates near the rules' edges; validateEvent must give exactly what zod alone gives.
  let seed = 20_261_126;
  const random = () => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const numbers = [0, -0, 1, 2.5, -1, -0.5, 7, 1e300, 2 ** 60, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  const values: Record<string, readonly unknown[]> = {
    string: ['x', ' ', 'conv-1', '', 5, true, null, undefined],
    type: [...EVENT_TYPES, 'nope', 5],
    number: [...numbers, '5', true, null],
    integer: [...numbers, '3', null],
    boolean: [true, false, 'true', 0, null],
    timestamp: [1_772_445_600_000, 1_772_445_600_000.9, -1, 0, 1e20, Number.NaN, '2026-03-02T10:00:00Z', '2026-03-02T10:00:00', '2026-02-30T10:00:00Z', '2026-03-02 10:00:00.123456+01:00', true],
  };
  const kinds: Record<string, string> = { event_id: 'string', ts: 'timestamp', conversation_id: 'string', type: 'type', name: 'string', success: 'boolean', latency_ms: 'number', tokens_in: 'integer', cost_usd: 'number', score: 'number', scale_max: 'number', user_id: 'string', fallback: 'boolean' };

  it('gives the same result as the zod schema alone on 20,000 candidates', () => {
    let plainlyAccepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const candidate: Row = { event_id: `e${i}`, ts: 1_772_445_600_000, conversation_id: 'c', type: pick(EVENT_TYPES) };
      for (const [field, kind] of Object.entries(kinds)) {
        const r = random();
        if (r < 0.3) candidate[field] = pick(values[kind]);
        else if (r < 0.4 && !['event_id', 'ts', 'type'].includes(field)) delete candidate[field];
        else if (r < 0.55 && ['success', 'name', 'score', 'scale_max'].includes(field)) candidate[field] = field === 'success' ? true : field === 'name' ? 'n' : field === 'score' ? 3 : 5;
      }
      if (random() < 0.02) candidate.surprise = 1;
      const forZod = { ...candidate };
      if (forZod.type === 'health_check') delete forZod.conversation_id; // as validateEvent does first
      const viaZod = zodValidation(forZod);
      const viaBoth = validateEvent({ ...candidate });
      expect(viaBoth, JSON.stringify(candidate)).toStrictEqual(viaZod);
      if (viaZod.ok) plainlyAccepted++;
    }
    // Enough of them valid for the check to have been exercised.
    expect(plainlyAccepted).toBeGreaterThan(1_000);
  });
});
