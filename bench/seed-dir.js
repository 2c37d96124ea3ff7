import path from 'node:path';

/** Where npm run bench:seed puts the embedded benchmark database. */
export const BENCH_DATA_DIR = path.resolve(process.env.BENCH_DATA_DIR || '.bench/data');
