import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pkg from '../package.json' with { type: 'json' };

/** Where kpi-review itself is installed (its package.json, src/, the Astro project). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** kpi-review's own version: recorded in manifests and part of every cache key. */
export const VERSION: string = pkg.version;
