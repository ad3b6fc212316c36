// `npm run regenerate -- [options] [inputs...]`: the scheduled job (.github/workflows/review-site.yml) in one
// command: snapshot the exports, build, publish a new version into the tree when anything changed, and print a
// report. Inputs come from the arguments, else from the config's `inputs`.
import fs from 'node:fs';
import { CONFIG_OPTION, helpText, parseCommand, type CommandSpec } from '../src/cli/args.ts';
import { parseKeep } from '../src/cli/build.ts';
import { loadConfig } from '../src/config/load.ts';
import { isFromOption } from '../src/data/adapters/index.ts';
import { isUserError, UsageError } from '../src/errors.ts';
import { regenerate } from '../src/publish/regenerate.ts';

const spec: CommandSpec = {
  name: 'regenerate',
  summary:
    'Snapshots the exports (adding to the snapshots already there), builds the site and publishes it as a new version into the tree when anything changed, then prints a report: what data arrived, which periods changed, the version, the latest month\'s figures.',
  usage: 'regenerate [--config FILE] [--snapshots data/snapshots] [--content content] [--out site] [--keep N] [--force] [--from F] [inputs...]',
  options: {
    config: CONFIG_OPTION,
    snapshots: { type: 'string', value: 'DIR', description: 'snapshot folder (default: data/snapshots)' },
    content: { type: 'string', value: 'DIR', description: 'reviews and annotations (default: content)' },
    out: { type: 'string', value: 'DIR', description: 'the published tree (default: site)' },
    keep: { type: 'string', value: 'N', description: 'keep the newest N versions, plus those where a review became final (default: the config\'s publish.keep)' },
    force: { type: 'boolean', description: 'publish a new version even when nothing changed' },
    from: { type: 'string', value: 'F', description: 'the inputs\' format (default: auto, each input by its content)' },
  },
};

async function main(argv: string[]): Promise<number> {
  const { values, positionals, help } = parseCommand(spec, argv, true);
  if (help) {
    console.log(helpText(spec).replace('kpi-review regenerate', 'npm run regenerate --'));
    return 0;
  }
  const from = (values.from as string | undefined) ?? 'auto';
  if (!isFromOption(from)) throw new UsageError(`--from ${from}: not a known format`);
  const keep = parseKeep(values.keep as string | undefined);
  const config = loadConfig(values.config as string | undefined);
  const lines: string[] = [];
  const { publish } = await regenerate({
    inputs: positionals,
    snapshots: (values.snapshots as string | undefined) ?? 'data/snapshots',
    content: (values.content as string | undefined) ?? 'content',
    tree: (values.out as string | undefined) ?? 'site',
    config,
    builtAt: new Date(),
    keep,
    force: Boolean(values.force),
    from,
    report: (line) => {
      lines.push(line);
      console.log(line);
    },
    log: (line) => console.error(line),
  });
  // On GitHub Actions the report is also the run's summary page.
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (summary) fs.appendFileSync(summary, `### Review site\n\n\`\`\`\n${lines.join('\n')}\n\`\`\`\n`);
  if (process.env.GITHUB_OUTPUT) {
    const r = publish.result;
    fs.appendFileSync(process.env.GITHUB_OUTPUT, `published=${r.status === 'published'}\nversion=${r.version.id}\n`);
  }
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (isUserError(error)) {
    console.error(`regenerate: ${error.message.replace('kpi-review regenerate --help', 'npm run regenerate -- --help')}`);
    process.exitCode = error.exitCode;
  } else {
    console.error(`regenerate: internal error: ${(error as Error).stack ?? error}`);
    process.exitCode = 70;
  }
}
