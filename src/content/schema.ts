import { z } from 'zod';
import { DIMENSIONS, KPI_IDS, type Dimension } from '../kpi/registry.ts';

/**
 * The frontmatter of reviews (`content/reviews/<cadence>/<period>.mdx`) and annotations
 * (`content/annotations/*.md`): one zod schema each, used by Astro's content collections and by the build's
 * own check, which turns a mistake into one line naming the file, the key and what is allowed.
 */

/** A segment scope as authors write it: `intent: billing`. */
export interface SegmentScope {
  dimension: Dimension;
  value: string;
}

export function parseSegment(text: string): SegmentScope | undefined {
  const m = /^([a-z_]+):\s*(.+)$/.exec(text.trim());
  if (!m || !(DIMENSIONS as readonly string[]).includes(m[1])) return undefined;
  return { dimension: m[1] as Dimension, value: m[2].trim() };
}

const segment = z
  .string()
  .refine((s) => parseSegment(s) !== undefined, { message: `expected "<dimension>: <value>" with a dimension among ${DIMENSIONS.join(', ')}` });

const kpiId = z.enum(KPI_IDS, { error: (i) => `unknown KPI id ${JSON.stringify(i.input)}; allowed: ${KPI_IDS.join(', ')}` });

export const expectedMovementSchema = z
  .object({
    direction: z.enum(['up', 'down']),
    /** How much, in `unit`: percentage points (`pp`, for rates) or percent (`percent`, relative). */
    size: z.number().positive().optional(),
    unit: z.enum(['pp', 'percent']).optional(),
    segment: segment.optional(),
  })
  .strict()
  .refine((m) => (m.size === undefined) === (m.unit === undefined), { message: 'give size and unit together (unit: pp or percent)' });

export const actionSchema = z
  .object({
    title: z.string().min(1),
    owner: z.string().min(1),
    kpi: kpiId,
    expected: expectedMovementSchema,
  })
  .strict();

export const reviewSchema = z
  .object({
    title: z.string().min(1),
    status: z.enum(['draft', 'final']),
    authors: z.array(z.string().min(1)).min(1),
    summary: z.string().min(1),
    primary_kpi: kpiId,
    causes: z.array(z.string().min(1)).max(3, { message: 'at most three causes' }).default([]),
    actions: z.array(actionSchema).default([]),
  })
  .strict();

export type Review = z.output<typeof reviewSchema>;
export type Action = z.output<typeof actionSchema>;

export const ANNOTATION_KINDS = ['prompt', 'model', 'knowledge_base', 'routing', 'channel', 'integration', 'pricing', 'other'] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})$/;

/**
 * An annotation's date: `2026-05-04` (a day in the report time zone) or a date-time with an offset. YAML
 * loaders turn a bare date into a Date at UTC midnight; that is read back as the bare date.
 */
const date = z.union([z.string(), z.date()]).transform((value, ctx) => {
  const text = value instanceof Date ? (value.toISOString().endsWith('T00:00:00.000Z') ? value.toISOString().slice(0, 10) : value.toISOString()) : value.trim();
  const real = DATE.test(text) ? new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text : DATE_TIME.test(text) && !Number.isNaN(Date.parse(text));
  if (!real) {
    ctx.issues.push({ code: 'custom', message: `expected a date like 2026-05-04 or 2026-05-04T09:30:00Z, got ${JSON.stringify(text)}`, input: value });
    return z.NEVER;
  }
  return text;
});

export const annotationSchema = z
  .object({
    date,
    kind: z.enum(ANNOTATION_KINDS, { error: (i) => `unknown kind ${JSON.stringify(i.input)}; allowed: ${ANNOTATION_KINDS.join(', ')}` }),
    title: z.string().min(1),
    description: z.string().optional(),
    segment: segment.optional(),
  })
  .strict();

export type AnnotationEntry = z.output<typeof annotationSchema>;
