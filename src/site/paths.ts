import type { Cadence } from '../kpi/periods.ts';
import type { Dimension } from '../kpi/registry.ts';

/**
 * Site paths (always ending in `/`, rooted at the site's own root) and relative links between them, so that a
 * built tree works from a server root, a sub-path or a copy, and `latest/` can reuse every page unchanged.
 */
export const homePath = (): string => '/';
export const periodPath = (cadence: Cadence, period: string): string => `/${cadence}/${period}/`;
export const segmentPath = (cadence: Cadence, period: string, dimension: Dimension): string => `/${cadence}/${period}/segments/${dimension}/`;
export const cadencePath = (cadence: Cadence): string => `/${cadence}/`;
export const glossaryPath = (): string => '/glossary/';
export const dataPath = (): string => '/data/';
export const exportPath = (cadence: Cadence, period: string, format: 'json' | 'csv'): string => `/${cadence}/${period}/kpis.${format}`;
export const versionsPath = (): string => '/versions/';
export const changesPath = (): string => '/changes/';

/**
 * Where a site path sits in the published tree (src/publish): a version's copy (`/v/<id>/month/2026-05/`) or the
 * newest one's (`/latest/month/2026-05/`). Links between the two are `relativeHref` between tree paths.
 */
export const treePath = (where: { version: string } | 'latest', sitePath: string): string =>
  `${where === 'latest' ? '/latest' : `/v/${where.version}`}${sitePath}`;

/** A link from the page at `from` to `to`, relative (`../../week/2026-W19/`), keeping any `#anchor`. */
export function relativeHref(from: string, to: string): string {
  const [target, anchor] = to.split('#');
  const fromParts = from.split('/').filter(Boolean);
  const toParts = target.split('/').filter(Boolean);
  let common = 0;
  while (common < fromParts.length && common < toParts.length && fromParts[common] === toParts[common]) common++;
  const up = fromParts.length - common;
  const rest = toParts.slice(common).join('/');
  const isFile = !target.endsWith('/') && target !== '';
  let href = `${'../'.repeat(up)}${rest}${rest && !isFile ? '/' : ''}`;
  if (href === '') href = './';
  if (anchor === undefined) return href;
  return href === './' ? `#${anchor}` : `${href}#${anchor}`;
}
