// Entry of a shard worker thread (dist/worker.js): its own tfjs backend
// instance, the reference setup built from the same seeds as the main
// thread's (so θ and data are identical), and this shard's rows of the batches.
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '@metadg/tensor';
import { referenceSetup } from '../workloads.js';
import { transferable, type ShardReply, type ShardRequest, type ShardWorkerData } from './protocol.js';
import { ShardComputer, sliceBatch, type FlatParams } from './shard.js';

async function serve(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('bench worker: must run as a worker thread');
  const data = workerData as ShardWorkerData;
  await initBackend({ backend: data.backend, log: () => {} });
  const ref = referenceSetup();
  const rows = ref.metaTrain.x.shape[0] / data.shards;
  const shard = new ShardComputer(ref.model, sliceBatch(ref.metaTrain, data.shard * rows, rows), sliceBatch(ref.metaTest, data.shard * rows, rows));
  const answer = (reply: ShardReply, arrays: readonly Float32Array[] = []) => port.postMessage(reply, transferable(arrays));
  port.on('message', (request: ShardRequest) => {
    try {
      let result: FlatParams | Float32Array | null;
      switch (request.op) {
        case 'forward':
          result = shard.forward();
          break;
        case 'gradS':
          result = shard.gradS();
          break;
        case 'gradPooled':
          result = shard.gradPooled();
          break;
        case 'gradTAt':
          result = shard.gradTAt(request.gS, request.alpha);
          break;
        case 'hvpS':
          result = shard.hvpS(request.v);
          break;
        case 'applySgd':
          shard.applySgd(request.g, request.lr);
          result = null;
          break;
      }
      answer({ id: request.id, result }, result === null ? [] : Array.isArray(result) ? result : [result]);
    } catch (err) {
      answer({ id: request.id, error: err instanceof Error ? err.message : String(err) });
    }
  });
  answer({ id: -1, ready: true });
}

serve().catch((err: unknown) => {
  parentPort?.postMessage({ id: -1, error: err instanceof Error ? err.message : String(err) });
});
