import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseFormat, detectFormats } from '../../src/data/adapters/detect.ts';
import { resolveInputs } from '../../src/data/inputs.ts';
import { cleanup, fixture, gzip, HAS_SAMPLES, ROOT, sample, tmpDir, writeFile } from './helpers.ts';

afterAll(cleanup);

const DATA_FIXTURES = path.join(ROOT, 'test', 'fixtures', 'data');

describe('auto-detection by content', () => {
  it.skipIf(!HAS_SAMPLES).each([
    ['otel_genai/otlp-proto-example-trace.json', 'otel'],
    ['otel_genai/otlp-proto-example-logs.json', 'otel'],
    ['otel_genai/otlp-proto-example-events.json', 'otel'],
    ['otel_genai/promptfoo_production-traces.otlp.json', 'otel'],
    ['otel_genai/any-agent_OPENAI_trace.sdk-json.json', 'otel'],
    ['rasa/tracker_moodbot.json', 'rasa'],
    ['rasa/botfront_conversations_rasa2_trackers.json', 'rasa'],
    ['rasa/botfront_analytics_conversations_fallback.json', 'rasa'],
    ['copilot_studio/dataverse_conversationtranscripts_download.json', 'copilot-studio'],
  ])('recognises the sample %s as %s', (file, format) => {
    expect(detectFormats(sample(file))).toEqual([format]);
  });

  it('recognises the fixtures, gzip-compressed too, and no platform in canonical exports', () => {
    expect(detectFormats(fixture('otel-support-bot.jsonl'))).toEqual(['otel']);
    expect(detectFormats(fixture('rasa-trackers.json'))).toEqual(['rasa']);
    expect(detectFormats(fixture('copilot-transcripts.csv'))).toEqual(['copilot-studio']);
    const dir = tmpDir();
    expect(detectFormats(writeFile(dir, 'r.json.gz', gzip(fs.readFileSync(fixture('rasa-trackers.json'), 'utf8'))))).toEqual(['rasa']);
    expect(detectFormats(path.join(DATA_FIXTURES, 'small.ndjson'))).toEqual([]);
    expect(detectFormats(path.join(DATA_FIXTURES, 'small.csv'))).toEqual([]);
    expect(detectFormats(fixture('canonical-mixed.ndjson'))).toEqual([]);
  });

  it('a file that matches several formats, or none, is a one-line error asking for --from', () => {
    const dir = tmpDir();
    const both = writeFile(dir, 'both.json', JSON.stringify({ resourceSpans: [], sender_id: 's', events: [] }) + '\n');
    expect(() => chooseFormat(both, 'auto', undefined, false)).toThrow(`${both}: looks like OpenTelemetry (otel) and Rasa tracker (rasa); name its format with --from otel|rasa`);
    const neither = writeFile(dir, 'x.json', '{"hello": "world"}\n');
    expect(() => chooseFormat(neither, 'auto', undefined, false)).toThrow(/^.*x\.json: unknown file type \(.*\); name its format with --from otel\|rasa\|copilot-studio\|canonical$/);
    // --from names the format and skips detection.
    expect(chooseFormat(both, 'rasa', undefined, false)).toBe('rasa');
    expect(chooseFormat(neither, 'otel', undefined, false)).toBe('otel');
  });
});

describe('inputs with --from', () => {
  it('auto: a folder of mixed exports, each file by its content; other files passed over', () => {
    const dir = tmpDir();
    fs.copyFileSync(fixture('otel-support-bot.jsonl'), writeFile(dir, 'in/traces.jsonl', ''));
    fs.copyFileSync(fixture('rasa-trackers.json'), writeFile(dir, 'in/rasa/trackers.json', ''));
    fs.copyFileSync(fixture('copilot-transcripts.csv'), writeFile(dir, 'in/transcripts.csv', ''));
    fs.copyFileSync(fixture('canonical-mixed.ndjson'), writeFile(dir, 'in/events.ndjson', ''));
    writeFile(dir, 'in/notes.txt', 'hello');
    writeFile(dir, 'in/other.json', '{"not": "an export"}');
    const skipped: string[] = [];
    const files = resolveInputs([`${dir}/in`], (f) => skipped.push(f), undefined, { from: 'auto', adapters: { rasa: { sender_is_user: false } } });
    expect(files.map((f) => [path.relative(dir, f.path), f.format, f.adapters])).toEqual([
      ['in/events.ndjson', 'ndjson', undefined],
      ['in/rasa/trackers.json', 'rasa', { rasa: { sender_is_user: false } }],
      ['in/traces.jsonl', 'otel', { rasa: { sender_is_user: false } }],
      ['in/transcripts.csv', 'copilot-studio', { rasa: { sender_is_user: false } }],
    ]);
    expect(skipped.map((f) => path.relative(dir, f))).toEqual(['in/notes.txt', 'in/other.json']);
  });

  it('a named format: every named file, and the export-like files of a folder', () => {
    const dir = tmpDir();
    const traces = writeFile(dir, 'in/traces.log', '{"resourceSpans":[]}\n');
    writeFile(dir, 'in/a.json', '{}');
    writeFile(dir, 'in/b.jsonl.gz', gzip('{}'));
    writeFile(dir, 'in/readme.md', '# notes');
    expect(resolveInputs([traces], undefined, undefined, { from: 'otel' }).map((f) => f.format)).toEqual(['otel']);
    expect(resolveInputs([`${dir}/in`], undefined, undefined, { from: 'otel' }).map((f) => path.basename(f.path))).toEqual(['a.json', 'b.jsonl.gz']);
  });

  it('canonical (the library default) keeps recognising files by extension only', () => {
    const dir = tmpDir();
    const file = writeFile(dir, 'events.json', '{}');
    expect(() => resolveInputs([file])).toThrow(`${file}: unknown file type`);
    expect(resolveInputs([fixture('otel-support-bot.jsonl')]).map((f) => f.format)).toEqual(['ndjson']);
  });
});
