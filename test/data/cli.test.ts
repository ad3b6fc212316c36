import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';
import { cleanup, parquetHashes, readManifestJson, ROOT, tmpDir, writeFile } from './helpers.ts';

afterAll(cleanup);

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'data');
const SUMMARY = /^\d+ events read, \d+ kept, \d+ duplicates dropped, \d+ quarantined \(see .+\)$/;

const lines = (text: string) => text.split('\n').filter(Boolean);

describe('kpi-review snapshot', () => {
  it('prints the summary line and exits 0, quarantine or not', async () => {
    const dir = tmpDir('cli');
    const r = await cli(['snapshot', path.join(FIXTURES, 'small.ndjson'), '--out', 'snap'], dir);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual(['months written: 2026-01, 2026-02', '8 events read, 6 kept, 1 duplicates dropped, 1 quarantined (see snap/quarantine.ndjson)']);
    expect(lines(r.stdout).at(-1)).toMatch(SUMMARY);
    expect(r.stderr).toContain('warning: ');
    expect(r.stderr).toContain('ignored unknown field export_batch');
    expect(fs.readFileSync(path.join(dir, 'snap', 'quarantine.ndjson'), 'utf8').trim().split('\n')).toHaveLength(1);

    // The same events as CSV give the same Parquet files.
    const csv = await cli(['snapshot', path.join(FIXTURES, 'small.csv'), '--out', 'csv'], dir);
    expect(csv.code).toBe(0);
    expect(lines(csv.stdout).at(-1)).toBe('8 events read, 6 kept, 1 duplicates dropped, 1 quarantined (see csv/quarantine.ndjson)');
    expect(parquetHashes(path.join(dir, 'csv'))).toEqual(parquetHashes(path.join(dir, 'snap')));

    // Again: the input is already in the snapshots.
    const again = await cli(['snapshot', path.join(FIXTURES, 'small.ndjson'), '--out', 'snap'], dir);
    expect(again.code).toBe(0);
    expect(lines(again.stdout)).toEqual([
      `1 input already in the snapshots, skipped: ${path.join(FIXTURES, 'small.ndjson')}`,
      '0 events read, 0 kept, 0 duplicates dropped, 0 quarantined (see snap/quarantine.ndjson)',
    ]);
  });

  it('takes the time zone from --tz', async () => {
    const dir = tmpDir('cli');
    const r = await cli(['snapshot', '--tz', 'Europe/Berlin', '--out', 'snap', path.join(FIXTURES, 'small.ndjson')], dir);
    expect(r.code).toBe(0);
    expect(readManifestJson(path.join(dir, 'snap')).timezone).toBe('Europe/Berlin');
    const other = await cli(['snapshot', '--out', 'snap', path.join(FIXTURES, 'small.csv')], dir);
    expect(other.code).toBe(1);
    expect(lines(other.stderr).filter((l) => l.startsWith('kpi-review: '))).toEqual([expect.stringMatching(/Europe\/Berlin.*UTC.*--rebuild/)]);
  });

  it('exits 1 with one line on standard error and no stack trace for a missing file', async () => {
    const dir = tmpDir('cli');
    const r = await cli(['snapshot', 'nope.ndjson', '--out', 'snap'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual(['kpi-review: nope.ndjson: no such file or folder; check the path']);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(dir, 'snap'))).toBe(false);
  });

  it('exits 1 with one line for an input that cannot be read, leaving no snapshot behind', async () => {
    const dir = tmpDir('cli');
    writeFile(dir, 'bad.parquet', 'not parquet');
    const r = await cli(['snapshot', 'bad.parquet', '--out', 'snap'], dir);
    expect(r.code).toBe(1);
    const errors = lines(r.stderr).filter((l) => !l.startsWith('reading '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^kpi-review: bad\.parquet: cannot be read \(/);
    expect(fs.existsSync(path.join(dir, 'snap'))).toBe(false);
  });

  it('exits 2 for an unknown flag', async () => {
    const dir = tmpDir('cli');
    const r = await cli(['snapshot', '--bogus', path.join(FIXTURES, 'small.ndjson')], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^kpi-review: .*--bogus.*; see `kpi-review snapshot --help`$/)]);
  });

  it('exits 2 for a time zone that does not exist', async () => {
    const dir = tmpDir('cli');
    const r = await cli(['snapshot', '--tz', 'Mars/Olympus', path.join(FIXTURES, 'small.ndjson')], dir);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual(['kpi-review: --tz Mars/Olympus: not an IANA time zone name (e.g. UTC, Europe/Berlin)']);
  });

  it('prints usage for --help and exits 0', async () => {
    const dir = tmpDir('cli');
    for (const flag of ['--help', '-h']) {
      const r = await cli(['snapshot', flag], dir);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: kpi-review snapshot /);
      for (const option of ['--out DIR', '--tz ZONE', '--rebuild', '--config FILE', '--help']) expect(r.stdout).toContain(option);
      expect(r.stderr).toBe('');
    }
  });
});
