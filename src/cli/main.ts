import { isUserError } from '../errors.ts';
import { helpText, type CommandSpec } from './args.ts';

interface Command {
  spec: CommandSpec;
  run(argv: string[]): Promise<number>;
}

const commands: Record<string, () => Promise<Command>> = {
  snapshot: () => import('./snapshot.ts'),
  kpis: () => import('./kpis.ts'),
  build: () => import('./build.ts'),
  'new-review': () => import('./newReview.ts'),

  schema: () => import('./schema.ts'),
  sample: () => import('./sample.ts'),
};

function usage(): string {
  return [
    'Usage: kpi-review <command> [options]',
    '',
    'Turns a chatbot\'s event exports into a versioned, linkable KPI review site.',
    '',
    'Commands:',
    '  snapshot   validate exports and write per-month Parquet snapshots',
    '  kpis       print one period\'s KPIs as JSON or CSV',
    '  build      build the static review site',
    '  new-review scaffold a review for a period (MDX, prefilled with its figures)',
    '  schema     print the JSON Schema of canonical events (or of the config)',
    '  sample     write the bundled sample export (a year of events with stories to find)',
    '',
    'Run `kpi-review <command> --help` for its options.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    console.log((await import('../version.ts')).VERSION);
    return 0;
  }
  const load = commands[name];
  if (!load) {
    console.error(`kpi-review: unknown command "${name}"; run \`kpi-review --help\` for the list`);
    return 2;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(helpText(command.spec));
    return 0;
  }
  return command.run(rest);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (isUserError(error)) {
    console.error(`kpi-review: ${error.message}`);
    process.exitCode = error.exitCode;
  } else {
    console.error(`kpi-review: internal error: ${(error as Error).message}`);
    if (process.env.KPI_REVIEW_DEBUG) console.error((error as Error).stack);
    else console.error('(set KPI_REVIEW_DEBUG=1 for the stack trace, and please report it)');
    process.exitCode = 70;
  }
}
