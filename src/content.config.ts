import path from 'node:path';
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { annotationSchema, reviewSchema } from './content/schema.ts';

/** The content folder of this build (`kpi-review build --content`), passed in by the build. */
const contentDir = process.env.KPI_REVIEW_CONTENT ?? path.resolve('content');

/** `content/reviews/<cadence>/<period>.mdx`, keyed `<cadence>/<period>`. */
const reviews = defineCollection({
  loader: glob({ pattern: '*/*.mdx', base: path.join(contentDir, 'reviews'), generateId: ({ entry }) => entry.replace(/\.mdx$/, '') }),
  schema: reviewSchema,
});

/** `content/annotations/*.md`: dated changes drawn on charts and listed under "changes shipped". */
const annotations = defineCollection({
  loader: glob({ pattern: '*.md', base: path.join(contentDir, 'annotations'), generateId: ({ entry }) => entry.replace(/\.md$/, '') }),
  schema: annotationSchema,
});

export const collections = { reviews, annotations };
