// `npm run dev [-- --snapshots DIR --content DIR --config FILE]`: a live preview of the site while a review is
// being written. The figures are computed once; reviews and annotations reload on save.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/load.ts';
import { isUserError } from '../src/errors.ts';
import { prepareSiteData, useSiteData } from '../src/site/build.ts';
import { PACKAGE_ROOT } from '../src/version.ts';

const { values } = parseArgs({ options: { snapshots: { type: 'string' }, content: { type: 'string' }, config: { type: 'string' } } });
try {
  const config = loadConfig(values.config);
  const content = values.content ?? 'content';
  const data = await prepareSiteData({ snapshots: values.snapshots ?? 'data/snapshots', content, config, builtAt: new Date(), log: console.error });
  const dir = path.join(PACKAGE_ROOT, '.astro', 'kpi-review-dev');
  fs.mkdirSync(dir, { recursive: true });
  useSiteData(data, path.join(dir, 'site-data.json'), content);
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  // A fresh content store each session, as for builds (see runAstro in src/site/build.ts): one kept from a
  // session on another content folder would serve entries of files that are not there.
  const cacheDir = path.join(dir, 'cache');
  fs.rmSync(cacheDir, { recursive: true, force: true });
  const { dev } = await import('astro');
  const server = await dev({ root: PACKAGE_ROOT, base: config.site.base, cacheDir, logLevel: (process.env.KPI_REVIEW_DEBUG ? 'debug' : 'info') as 'debug' | 'info' });
  console.log(`live preview on http://localhost:${server.address.port}${config.site.base} (edit ${content}/reviews/…; Ctrl-C to stop)`);
} catch (error) {
  if (!isUserError(error)) throw error;
  console.error(`kpi-review: ${error.message}`);
  process.exitCode = 1;
}
