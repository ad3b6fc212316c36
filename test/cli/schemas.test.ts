import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { publishedSchemas } from '../../src/cli/schema.ts';

describe('published JSON Schemas', () => {
  it('are up to date with the zod schemas (run `npm run schemas` after changing them)', () => {
    for (const [file, schema] of Object.entries(publishedSchemas())) expect(JSON.parse(fs.readFileSync(file, 'utf8')), file).toEqual(schema);
  });

  it('lists every config key of config.md', () => {
    const config = publishedSchemas()['schemas/config.schema.json'] as { properties: Record<string, unknown>; additionalProperties: boolean };
    for (const key of ['timezone', 'human_contact_cost_usd', 'goals', 'headline_goal', 'inputs', 'site', 'publish', 'adapters']) expect(config.properties).toHaveProperty(key);
    expect(config.additionalProperties).toBe(false);
  });
});
