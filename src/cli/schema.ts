import { z } from 'zod';
import { configSchema } from '../config/schema.ts';
import { eventJsonSchema } from '../data/schema.ts';
import { parseCommand, type CommandSpec } from './args.ts';

export const spec: CommandSpec = {
  name: 'schema',
  summary: 'Prints the JSON Schema of one canonical event (for whoever writes your export), or with --config-schema of kpi-review.config.json.',
  usage: 'schema [--config-schema]',
  options: { 'config-schema': { type: 'boolean', description: 'print the config file\'s JSON Schema instead' } },
};

export function configJsonSchema(): object {
  return { ...z.toJSONSchema(configSchema, { io: 'input' }), title: 'kpi-review.config.json' };
}

/** The JSON Schemas published in `schemas/` for editors and export writers, by file. */
export function publishedSchemas(): Record<string, object> {
  return { 'schemas/event.schema.json': eventJsonSchema(), 'schemas/config.schema.json': configJsonSchema() };
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(spec, argv, false);
  console.log(JSON.stringify(values['config-schema'] ? configJsonSchema() : eventJsonSchema(), null, 2));
  return 0;
}
