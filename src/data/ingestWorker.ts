// A worker thread of `ingest`: ingests one input file (see ingestFile) and reports progress and the outcome.
import { parentPort, workerData } from 'node:worker_threads';
import { isUserError } from '../errors.ts';
import { ingestFile, type IngestJob } from './ingest.ts';

try {
  const done = await ingestFile(workerData as IngestJob, (rows) => parentPort!.postMessage({ rows }));
  parentPort!.postMessage({ done });
} catch (error) {
  parentPort!.postMessage({ failed: { message: (error as Error).message, user: isUserError(error) } });
}
