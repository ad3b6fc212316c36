import type { APIRoute } from 'astro';
import { toKpisCsv } from '../../../kpi/export.ts';
import type { Cadence } from '../../../kpi/periods.ts';
import { periodRoutes } from '../../../site/routes.ts';
import { findPeriod } from '../../../site/data.ts';

export const getStaticPaths = periodRoutes;

export const GET: APIRoute = ({ params }) => new Response(toKpisCsv(findPeriod(params.cadence as Cadence, params.period!).doc));
