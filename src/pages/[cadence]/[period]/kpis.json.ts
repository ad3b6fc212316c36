import type { APIRoute } from 'astro';
import { toKpisJson } from '../../../kpi/export.ts';
import type { Cadence } from '../../../kpi/periods.ts';
import { periodRoutes } from '../../../site/routes.ts';
import { findPeriod } from '../../../site/data.ts';
import { periodExport } from '../../../site/exportDocument.ts';

export const getStaticPaths = periodRoutes;

export const GET: APIRoute = ({ params }) => {
  const { periods, index } = findPeriod(params.cadence as Cadence, params.period!);
  return new Response(toKpisJson(periodExport(periods, index)));
};
