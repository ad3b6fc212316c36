import { loadConfig } from '../config/load.ts';
import { UsageError } from '../errors.ts';
import { describePublish } from '../publish/report.ts';
import { publishSite } from '../publish/site.ts';
import { CONFIG_OPTION, CONTENT_OPTION, parseCommand, SNAPSHOTS_OPTION, type CommandSpec } from './args.ts';

export const spec: CommandSpec = {
  name: 'build',
  summary:
    'Builds the static review site (every period of every cadence, segment pages, glossary, data page, kpis.json/csv and search) from the snapshots and the review content, and publishes it into a tree of versions: v/<version>/ (never changed afterwards), latest/, versions.json. Publishes nothing when nothing changed since the newest version.',
  usage: 'build [--snapshots data/snapshots] [--content content] [--out site] [--keep N] [--force] [--config FILE]',
  options: {
    snapshots: SNAPSHOTS_OPTION,
    content: CONTENT_OPTION,
    out: { type: 'string', value: 'DIR', description: 'the published tree, kept and added to (default: site)' },
    keep: { type: 'string', value: 'N', description: 'keep the newest N versions, plus those where a review became final (default: the config\'s publish.keep, else all)' },
    force: { type: 'boolean', description: 'publish a new version even when nothing changed' },
    config: CONFIG_OPTION,
  },
};

/** `--keep N`: an integer of at least 1. */
export function parseKeep(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--keep ${value}: expected a whole number of versions, at least 1`);
  return Number(value);
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv, false);
  const keep = parseKeep(values.keep as string | undefined);
  const config = loadConfig(values.config as string | undefined);
  const out = (values.out as string | undefined) ?? 'site';
  const started = performance.now();
  const { result, pages } = await publishSite({
    snapshots: (values.snapshots as string | undefined) ?? 'data/snapshots',
    content: (values.content as string | undefined) ?? 'content',
    tree: out,
    config,
    keep,
    force: Boolean(values.force),
    builtAt: new Date(),
    log: (line) => console.error(line),
  });
  for (const line of describePublish(result, out)) console.log(line);
  if (result.status === 'published') {
    console.log(`built ${pages} pages per copy in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    console.log(`preview it with \`npm run preview${out === 'site' ? '' : ` -- ${out}`}\` (serves ${out}/ on http://localhost:4321/)`);
  }
  return 0;
}
