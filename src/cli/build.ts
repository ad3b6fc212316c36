import { loadConfig } from '../config/load.ts';
import { buildSite } from '../site/build.ts';
import { CONFIG_OPTION, parseCommand, type CommandSpec } from './args.ts';

export const spec: CommandSpec = {
  name: 'build',
  summary: 'Builds the static review site (every period of every cadence, segment pages, glossary, data page, kpis.json/csv and search) from the snapshots and the review content.',
  usage: 'build [--snapshots data/snapshots] [--content content] [--out site] [--config FILE]',
  options: {
    snapshots: { type: 'string', value: 'DIR', description: 'snapshot folder (default: data/snapshots)' },
    content: { type: 'string', value: 'DIR', description: 'reviews and annotations (default: content)' },
    out: { type: 'string', value: 'DIR', description: 'where the site is written (default: site)' },
    config: CONFIG_OPTION,
  },
};

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv, false);
  const config = loadConfig(values.config as string | undefined);
  const out = (values.out as string | undefined) ?? 'site';
  const report = await buildSite({
    snapshots: (values.snapshots as string | undefined) ?? 'data/snapshots',
    content: (values.content as string | undefined) ?? 'content',
    out,
    config,
    builtAt: new Date(),
    log: (line) => console.error(line),
  });
  console.log(`built ${report.pages} pages for ${report.periods} periods into ${out}/ in ${report.seconds.toFixed(1)} s`);
  console.log('preview it with `npm run preview` (serves the site on http://localhost:4321/)');
  return 0;
}
