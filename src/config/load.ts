import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { UserError } from '../errors.ts';
import { configSchema, withDefaults, type Config } from './schema.ts';

export const CONFIG_FILE_NAME = 'kpi-review.config.json';

/** One line naming the key, the file and what is allowed, from the first zod issue. */
export function describeIssue(file: string, issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? issue.path.join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => [...issue.path, k].join('.'));
    return `${file}: unknown key ${keys.map((k) => JSON.stringify(k)).join(', ')}; remove it or check its spelling (the keys are listed in the README's Configuration section)`;
  }
  return `${file}: key "${where}": ${issue.message}`;
}

/**
 * Reads `kpi-review.config.json` from `explicitPath` or the current folder. A missing default file means
 * "all defaults"; a missing explicit file, bad JSON, an unknown key or a wrong type is a UserError.
 */
export function loadConfig(explicitPath?: string, cwd = process.cwd()): Config {
  const file = explicitPath ? path.resolve(cwd, explicitPath) : path.join(cwd, CONFIG_FILE_NAME);
  if (!fs.existsSync(file)) {
    if (explicitPath) throw new UserError(`${explicitPath}: config file not found; check the --config path`);
    return withDefaults({}, cwd);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`${file}: not valid JSON (${(error as Error).message}); fix the file or pass another with --config`);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new UserError(describeIssue(file, parsed.error.issues[0]));
  return withDefaults(parsed.data, path.dirname(file));
}
