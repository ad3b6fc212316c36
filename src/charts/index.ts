/** The chart library: every chart renders to an SVG string at build time. Pages import only from here. */
export { renderTrend, type TrendOptions } from './trend.ts';
export { renderSparkline, type SparklineOptions } from './sparkline.ts';
export { renderBars, type BarRow, type BarsOptions } from './bars.ts';
export { renderMultiLine, type LineSeries, type MultiLineOptions } from './multiLine.ts';
export type { Annotation, PeriodChartOptions, TrendPoint } from './series.ts';
export { ACCENT_COLOR, NEUTRAL_COLOR, PALETTE, segmentColor, seriesColors } from './colors.ts';
export { escapeXml } from './render.ts';
