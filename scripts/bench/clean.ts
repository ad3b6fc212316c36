/** `npm run bench:clean`: removes the benchmark data and everything else under `.bench/`. */
import fs from 'node:fs';
import { BENCH_DIR } from './common.ts';

const existed = fs.existsSync(BENCH_DIR);
fs.rmSync(BENCH_DIR, { recursive: true, force: true });
console.log(existed ? `removed ${BENCH_DIR}` : `nothing to remove (${BENCH_DIR} does not exist)`);
