import pkg from '../package.json' with { type: 'json' };

/** kpi-review's own version: recorded in manifests and part of every cache key. */
export const VERSION: string = pkg.version;
