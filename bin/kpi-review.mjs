#!/usr/bin/env node
// Runs the TypeScript CLI on the project's pinned Node (24, which strips types natively). When started by an
// older Node (a bare `node` on PATH), re-executes itself with the pinned binary from node_modules.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);
if (major >= 24) {
  await import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href);
} else {
  const candidates = [join(root, 'node_modules', '.bin', 'node'), join(root, '..', '.bin', 'node')];
  const pinned = candidates.find((p) => existsSync(p));
  if (!pinned) {
    console.error(`kpi-review needs Node 24 or newer (this is ${process.version}); run \`npm ci\` to install the pinned runtime`);
    process.exit(1);
  }
  const r = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
