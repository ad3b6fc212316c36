import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import type { z } from 'zod';
import { UserError } from '../errors.ts';
import { CADENCES, isPeriodLabel, type Cadence } from '../kpi/periods.ts';
import { DIMENSIONS, KPI_IDS } from '../kpi/registry.ts';
import type { Results } from '../kpi/results.ts';
import { ANNOTATION_KINDS, annotationSchema, reviewSchema, type AnnotationEntry, type Review } from './schema.ts';

export interface ReviewFile {
  file: string;
  cadence: Cadence;
  period: string;
  data: Review;
  body: string;
}

export interface Content {
  reviews: ReviewFile[];
  annotations: (AnnotationEntry & { id: string; file: string })[];
}

/** Splits a Markdown file into its YAML frontmatter (parsed) and body; bad YAML is a UserError naming the file. */
function frontmatter(file: string, display: string): { data: unknown; body: string; bodyLine: number } {
  const text = fs.readFileSync(file, 'utf8');
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!m) throw new UserError(`${display}: no frontmatter; start the file with a --- block holding its keys`);
  try {
    // CORE_SCHEMA keeps dates as written: the default schema rolls 2026-02-30 over into March.
    return { data: yaml.load(m[1], { schema: yaml.CORE_SCHEMA }) ?? {}, body: text.slice(m[0].length), bodyLine: m[0].split('\n').length };
  } catch (error) {
    const e = error as { mark?: { line: number }; reason?: string; message: string };
    throw new UserError(`${display}: line ${(e.mark?.line ?? 0) + 2}: frontmatter is not valid YAML (${e.reason ?? e.message}); fix the syntax`);
  }
}

function schemaError(display: string, issue: z.core.$ZodIssue): UserError {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => [...issue.path, k].join('.'));
    return new UserError(`${display}: unknown key ${keys.map((k) => JSON.stringify(k)).join(', ')}; check its spelling (allowed keys are listed in the README's Reviews section)`);
  }
  const message = issue.code === 'invalid_type' && issue.input === undefined ? `missing (required, ${issue.expected})` : issue.message;
  return new UserError(`${display}: key "${issue.path.join('.') || '(frontmatter)'}": ${message}`);
}

/** The issue to report: a misspelled key first (it usually explains the missing one), else the first. */
const firstIssue = (issues: z.core.$ZodIssue[]) => issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];

/** `<Kpi id="…" />` and friends in the MDX body: their ids and dimensions must exist (one line per mistake). */
function checkComponents(display: string, body: string, bodyLine: number): void {
  const tag = /<(Kpi|KpiChart|SegmentTable|Delta|Annotations)\b([^>]*)>/g;
  for (const m of body.matchAll(tag)) {
    const line = bodyLine + body.slice(0, m.index).split('\n').length - 1;
    for (const [, name, value] of m[2].matchAll(/(\w+)="([^"]*)"/g)) {
      if ((name === 'id' || name === 'kpi') && !(KPI_IDS as readonly string[]).includes(value))
        throw new UserError(`${display}: line ${line}: <${m[1]} ${name}="${value}">: unknown KPI id; allowed: ${KPI_IDS.join(', ')}`);
      if ((name === 'by' || name === 'dim') && !(DIMENSIONS as readonly string[]).includes(value))
        throw new UserError(`${display}: line ${line}: <${m[1]} ${name}="${value}">: unknown dimension; allowed: ${DIMENSIONS.join(', ')}`);
      if (name === 'kind' && !(ANNOTATION_KINDS as readonly string[]).includes(value))
        throw new UserError(`${display}: line ${line}: <${m[1]} ${name}="${value}">: unknown kind; allowed: ${ANNOTATION_KINDS.join(', ')}`);
    }
  }
}

const filesIn = (dir: string, ext: string): string[] =>
  fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(ext)).sort() : [];

/**
 * Reads and checks the content folder: every review's place, frontmatter and components, and every
 * annotation. A mistake is a UserError naming the file, the key and what is allowed, so nothing is built.
 */
export function loadContent(dir: string, results: Results): Content {
  const content: Content = { reviews: [], annotations: [] };
  const reviewsDir = path.join(dir, 'reviews');
  for (const rel of filesIn(reviewsDir, '.mdx')) {
    const file = path.join(reviewsDir, rel);
    const display = path.join(dir, 'reviews', rel);
    const parts = rel.split(path.sep);
    const cadence = parts[0] as Cadence;
    const period = path.basename(rel, '.mdx');
    if (parts.length !== 2 || !CADENCES.includes(cadence))
      throw new UserError(`${display}: reviews live in reviews/<cadence>/<period>.mdx with cadence ${CADENCES.join(', ')}; move the file`);
    if (!isPeriodLabel(period, cadence)) throw new UserError(`${display}: "${period}" is not a ${cadence} label (e.g. ${cadence === 'week' ? '2026-W19' : cadence === 'quarter' ? '2026-Q2' : '2026-05'}); rename the file`);
    const periods = results.cadences[cadence];
    if (!periods.some((p) => p.period === period))
      throw new UserError(`${display}: ${cadence} ${period} has no data (the ${cadence}s run ${periods[0]?.period ?? '—'} … ${periods.at(-1)?.period ?? '—'}); rename the file or add the data`);
    const { data, body, bodyLine } = frontmatter(file, display);
    const parsed = reviewSchema.safeParse(data);
    if (!parsed.success) throw schemaError(display, firstIssue(parsed.error.issues));
    checkComponents(display, body, bodyLine);
    content.reviews.push({ file: display, cadence, period, data: parsed.data, body });
  }
  const annotationsDir = path.join(dir, 'annotations');
  for (const rel of filesIn(annotationsDir, '.md')) {
    const display = path.join(dir, 'annotations', rel);
    const { data, body } = frontmatter(path.join(annotationsDir, rel), display);
    const parsed = annotationSchema.safeParse(data);
    if (!parsed.success) throw schemaError(display, firstIssue(parsed.error.issues));
    content.annotations.push({ ...parsed.data, description: parsed.data.description ?? (body.trim() || undefined), id: rel.replace(/\.md$/, ''), file: display });
  }
  return content;
}
