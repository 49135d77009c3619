import { MetaDGError } from '@metadg/core';

/**
 * A shard worker could not start, failed on a request, or did not answer in
 * time. `worker` is the shard's index (1 for the first worker thread).
 */
export class ShardWorkerError extends MetaDGError {
  override name = 'ShardWorkerError';
  readonly worker: number;

  constructor(worker: number, problem: string, options?: { cause?: unknown }) {
    super('SHARD_WORKER_FAILED', `shard worker ${worker}: ${problem}`, options);
    this.worker = worker;
  }
}
