import fs from 'node:fs';
import path from 'node:path';
import { defineCollection } from 'astro:content';
import { glob, type Loader } from 'astro/loaders';
import { annotationSchema, reviewSchema } from './content/schema.ts';

/** The content folder of this build (`kpi-review build --content`), passed in by the build. */
const contentDir = process.env.KPI_REVIEW_CONTENT ?? path.resolve('content');

/**
 * A collection read from a folder of the content folder with Astro's glob loader; a missing folder is an empty
 * collection, without the warning the glob loader gives on every build.
 */
function folder(name: string, pattern: string): Loader {
  const base = path.join(contentDir, name);
  if (!fs.existsSync(base)) return { name: `no ${name}`, load: async ({ store }) => store.clear() };
  return glob({ pattern, base, generateId: ({ entry }) => entry.replace(/\.mdx?$/, '') });
}

/** `content/reviews/<cadence>/<period>.mdx`, keyed `<cadence>/<period>`. */
const reviews = defineCollection({
  loader: folder('reviews', '*/*.mdx'),
  schema: reviewSchema,
});

/** `content/annotations/*.md`: dated changes drawn on charts and listed under "changes shipped". */
const annotations = defineCollection({
  loader: folder('annotations', '*.md'),
  schema: annotationSchema,
});

export const collections = { reviews, annotations };
