import { CADENCES, type Cadence } from '../kpi/periods.ts';
import { DIMENSIONS, type Dimension } from '../kpi/registry.ts';
import { periodsOf } from './data.ts';

/** `getStaticPaths` of every per-period route: one entry per period of every cadence. */
export function periodRoutes(): { params: { cadence: Cadence; period: string } }[] {
  return CADENCES.flatMap((cadence) => periodsOf(cadence).map((p) => ({ params: { cadence, period: p.period } })));
}

/** `getStaticPaths` of the segment pages: every period × dimension. */
export function segmentRoutes(): { params: { cadence: Cadence; period: string; dimension: Dimension } }[] {
  return periodRoutes().flatMap(({ params }) => DIMENSIONS.map((dimension) => ({ params: { ...params, dimension } })));
}
