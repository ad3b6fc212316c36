import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { chooseFormat, type AdaptersConfig, type FromOption, type SourceFormat } from './adapters/index.ts';

export type CanonicalFormat = 'ndjson' | 'csv' | 'parquet';
/** A canonical format, or a platform export read through an adapter (src/data/adapters). */
export type InputFormat = CanonicalFormat | SourceFormat;

export interface InputFile {
  /** The path as the user gave it (or below the folder they gave), used in messages and the manifest. */
  path: string;
  format: InputFormat;
  /** The config's `adapters` conventions, for a platform export. */
  adapters?: AdaptersConfig;
}

export interface ResolveOptions {
  /** `--from`: `canonical` (by extension, the default here), a platform format, or `auto` (by content). */
  from?: FromOption;
  adapters?: AdaptersConfig;
}

/** The canonical format of a file from its name (a `.gz` suffix is looked through), or undefined. */
export function formatOf(file: string): CanonicalFormat | undefined {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.ndjson') || name.endsWith('.jsonl')) return 'ndjson';
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.parquet')) return 'parquet';
  return undefined;
}

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

function filesBelow(dir: string, exclude?: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.name.startsWith('.')) continue;
      if (entry.isDirectory() && exclude && path.resolve(dir, child) === exclude) continue;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() || (entry.isSymbolicLink() && fs.statSync(path.join(dir, child), { throwIfNoEntry: false })?.isFile())) out.push(child);
    }
  };
  walk('');
  return out.sort(byteOrder);
}

/**
 * Expands the inputs in command-line order; a folder's files come in byte-wise order of their relative paths.
 * Files of a folder in no known format are passed over (reported through `onSkip`). `exclude` (an absolute path,
 * the snapshot folder) is never walked into: its own Parquet and quarantine files are not exports.
 */
export function resolveInputs(inputs: string[], onSkip: (file: string) => void = () => {}, exclude?: string, options: ResolveOptions = {}): InputFile[] {
  const from = options.from ?? 'canonical';
  const entry = (file: string, format: InputFormat): InputFile => (format === 'ndjson' || format === 'csv' || format === 'parquet' ? { path: file, format } : { path: file, format, adapters: options.adapters });
  if (inputs.length === 0) throw new UserError('no inputs: name export files or folders (or set "inputs" in kpi-review.config.json)', 2);
  const files: InputFile[] = [];
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch {
      throw new UserError(`${input}: no such file or folder; check the path`);
    }
    if (stat.isDirectory()) {
      const before = files.length;
      for (const rel of filesBelow(input, exclude)) {
        const file = path.join(input, rel);
        const format = chooseFormat(file, from, formatOf(rel), true);
        if (format) files.push(entry(file, format));
        else onSkip(file);
      }
      // Like an input file without data rows, a named folder without export files is a mistake, not "nothing new".
      if (files.length === before) throw new UserError(`${input}: no export files found (.ndjson, .jsonl, .csv, .parquet, optionally .gz); check the path`);
    } else {
      const format = chooseFormat(input, from, formatOf(input), false);
      if (!format) throw new UserError(`${input}: unknown file type; name canonical exports .ndjson, .jsonl, .csv or .parquet (optionally .gz)`);
      files.push(entry(input, format));
    }
  }
  if (files.length === 0) throw new UserError(`${inputs.join(', ')}: no export files found (.ndjson, .jsonl, .csv, .parquet, optionally .gz)`);
  return files;
}

export async function hashFile(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  try {
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  } catch (error) {
    throw new UserError(`${file}: cannot be read (${(error as Error).message}); check the file's permissions`);
  }
  return hash.digest('hex');
}
