/** What review pages show beyond the engine's figures: flags, interpretation notes, segment tables, shares, goals, series. */
export * from './figures.ts';
export * from './flags.ts';
export * from './goals.ts';
export * from './interpretation.ts';
export * from './segments.ts';
export * from './series.ts';
export * from './shares.ts';
