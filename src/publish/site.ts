import type { Config } from '../config/schema.ts';
import { requireManifest } from '../data/manifest.ts';
import { prepareSiteData, renderSite } from '../site/build.ts';
import { identify } from './identity.ts';
import { publish, type PublishResult } from './publish.ts';
import { LATEST_DIR, VERSIONS_DIR } from './versions.ts';

export interface PublishSiteOptions {
  snapshots: string;
  content: string;
  /** The published tree (`--out`). */
  tree: string;
  config: Config;
  /** The build time, passed in (only the CLI reads the clock). */
  builtAt: Date;
  /** `--keep`; absent takes the config's `publish.keep` (absent there too: keep every version). */
  keep?: number | null;
  force?: boolean;
  /** The project's folder: its lock file and git commit are part of the content hash (default: the current folder). */
  projectDir?: string;
  log?: (line: string) => void;
}

export interface PublishSiteResult {
  result: PublishResult;
  /** Pages in each rendering (0 when nothing was published). */
  pages: number;
}

/** `site.base` with a trailing slash, joined with a folder of the tree: `/reviews/` + `latest` → `/reviews/latest/`. */
export function basePath(base: string, sub: string): string {
  return `${base.endsWith('/') ? base : `${base}/`}${sub}/`;
}

/**
 * `kpi-review build`: the site of the snapshots and content, published into the tree as a new version. The
 * site data is prepared once and rendered twice by Astro, for `v/<id>/` and for `latest/`: each rendering is a
 * complete, ordinary build for its place (footer links, versions and what-changed pages), with no rewriting of
 * HTML after the fact.
 */
export async function publishSite(options: PublishSiteOptions): Promise<PublishSiteResult> {
  const manifest = requireManifest(options.snapshots);
  const identity = identify({ manifest, content: options.content, config: options.config, projectDir: options.projectDir ?? process.cwd() });
  let pages = 0;
  const result = await publish({
    tree: options.tree,
    builtAt: options.builtAt,
    identity,
    keep: options.keep === undefined ? options.config.publish.keep : options.keep,
    force: options.force,
    title: options.config.site.title,
    log: options.log,
    prepare: async () => {
      const prepared = await prepareSiteData(options);
      return {
        periods: prepared.results.cadences,
        finalReviews: prepared.reviews.filter((r) => r.data.status === 'final').map((r) => `${r.cadence}/${r.period}`),
        render: async (out, publication) => {
          const sub = publication.location === 'latest' ? LATEST_DIR : `${VERSIONS_DIR}/${publication.version}`;
          pages = await renderSite({ ...prepared, publication }, { content: options.content, out, base: basePath(options.config.site.base, sub) });
        },
      };
    },
  });
  return { result, pages };
}
