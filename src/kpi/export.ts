import type { PeriodDocument } from './results.ts';

/** The period's `kpis.json`: the export document, pretty-printed. */
export function toKpisJson(doc: PeriodDocument): string {
  return JSON.stringify(doc, null, 2) + '\n';
}

const csvCell = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
const csvValue = (value: number | null | undefined): string => (value === null || value === undefined ? '' : String(value));

/** The period's `kpis.csv`: every figure of `kpis`, `segments` and `breakdowns` in long form (RFC 4180). */
export function toKpisCsv(doc: PeriodDocument): string {
  const rows: string[][] = [['period', 'cadence', 'dimension', 'segment', 'kpi', 'value']];
  const add = (dimension: string, segment: string, figures: Record<string, number | null | undefined>) => {
    for (const [kpi, value] of Object.entries(figures)) rows.push([doc.period, doc.cadence, dimension, segment, kpi, csvValue(value)]);
  };
  add('', '', doc.kpis);
  for (const [dimension, values] of Object.entries(doc.segments)) for (const [segment, figures] of Object.entries(values)) add(dimension, segment, figures);
  for (const [breakdown, names] of Object.entries(doc.breakdowns))
    for (const [name, figures] of Object.entries(names)) add(breakdown, name, figures as unknown as Record<string, number | null>);
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
