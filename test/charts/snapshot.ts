/**
 * Normalized SVG snapshots, after Plot's own `test/plot-snapshot.js`: decimals rounded to three places, one
 * element per line, compared with `test/output/<name>.svg`. On a mismatch `<name>-changed.svg` is written next
 * to it for review (and the test fails). A missing expected file is written, except under `CI`, where it fails.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const OUTPUT_DIR = fileURLToPath(new URL('../output/', import.meta.url));

export function normalizeSvg(svg: string): string {
  return (
    svg
      .replace(/\d+\.\d{4,}/g, (d) => String(Number(Number(d).toFixed(3))))
      .replace(/>\s*</g, '>\n<')
      .trim() + '\n'
  );
}

/** Returns null when the snapshot matches (or was just written), else a message saying what to look at. */
export function compareSnapshot(name: string, svg: string): string | null {
  const actual = normalizeSvg(svg);
  const expectedPath = join(OUTPUT_DIR, `${name}.svg`);
  const changedPath = join(OUTPUT_DIR, `${name}-changed.svg`);
  if (!existsSync(expectedPath)) {
    if (process.env.CI) return `missing snapshot ${expectedPath}: run the tests locally (without CI) to create it, review it and commit it`;
    mkdirSync(OUTPUT_DIR, { recursive: true });
    writeFileSync(expectedPath, actual);
    return null;
  }
  const expected = readFileSync(expectedPath, 'utf8');
  if (expected === actual) {
    rmSync(changedPath, { force: true });
    return null;
  }
  writeFileSync(changedPath, actual);
  return `snapshot ${name} changed: compare ${expectedPath} with ${changedPath}; if the change is intended, replace the first with the second`;
}
