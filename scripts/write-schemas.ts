// `npm run schemas`: writes the published JSON Schemas (events and config) from the zod schemas.
import fs from 'node:fs';
import { publishedSchemas } from '../src/cli/schema.ts';

for (const [file, schema] of Object.entries(publishedSchemas())) {
  fs.writeFileSync(file, JSON.stringify(schema, null, 2) + '\n');
  console.log(`wrote ${file}`);
}
