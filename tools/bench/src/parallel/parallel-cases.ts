import * as tf from '@tensorflow/tfjs-core';
import { Worker } from 'node:worker_threads';
import { mfrMetaGradient } from '@metadg/plugin-mfr';
import { phaseObjective } from '@metadg/meta';
import { disposeParams } from '@metadg/tensor';
import { measure } from '../measure.js';
import type { CaseResult } from '../results.js';
import type { SuiteRequest } from '../suite.js';
import { REFERENCE_META, REFERENCE_OPTIMIZER, referenceSetup, type CaseId } from '../workloads.js';
import type { ShardReply, ShardRequest, ShardWorkerData } from './protocol.js';
import { combineMetaGradient, meanFlat, ShardComputer, sliceBatch, type FlatParams } from './shard.js';

/** Variant label of the data-parallel cases in the results. */
export const PARALLEL_VARIANT = '2 workers (data-parallel)';

type RequestBody = ShardRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The main thread's handle on one shard worker thread. */
class ShardWorker {
  private readonly worker: Worker;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (r: FlatParams | Float32Array | null) => void; reject: (e: Error) => void }>();
  readonly ready: Promise<void>;

  constructor(url: URL, data: ShardWorkerData) {
    this.worker = new Worker(url, { workerData: data });
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (reply: ShardReply) => {
        if ('ready' in reply) return resolve();
        if (reply.id === -1 && 'error' in reply) return reject(new Error(`bench worker failed to start: ${reply.error}`));
        const p = this.pending.get(reply.id);
        if (!p) return;
        this.pending.delete(reply.id);
        if ('error' in reply) p.reject(new Error(`bench worker: ${reply.error}`));
        else p.resolve(reply.result);
      });
      this.worker.on('error', reject);
    });
  }

  call(body: RequestBody): Promise<FlatParams | Float32Array | null> {
    const id = this.next++;
    const message = { ...body, id } as ShardRequest;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Structured clone copies the arrays: the caller keeps using its own.
      this.worker.postMessage(message);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

const asFlat = (r: FlatParams | Float32Array | null): FlatParams => {
  if (!Array.isArray(r)) throw new Error('bench worker: expected a parameter list');
  return r;
};

/**
 * The reference cases with the batch split over two threads, each with its
 * own wasm backend: the main thread computes rows 0–31 of each batch, a
 * worker rows 32–63, and they exchange gradients (≈ 0.9 MB) between the
 * passes (see `ShardComputer`). Before timing, the parallel second-order
 * meta-gradient is compared with `mfrMetaGradient` on the full batch.
 */
export async function runParallelCases(request: SuiteRequest): Promise<CaseResult[]> {
  if (request.backend !== 'wasm') return [];
  const { alpha, gamma } = REFERENCE_META;
  const lr = REFERENCE_OPTIMIZER.lr;
  const ref = referenceSetup();
  const rows = ref.metaTrain.x.shape[0] / 2;
  const localTrain = sliceBatch(ref.metaTrain, 0, rows);
  const localTest = sliceBatch(ref.metaTest, 0, rows);
  const local = new ShardComputer(ref.model, localTrain, localTest);
  const worker = new ShardWorker(new URL('./worker.js', import.meta.url), { shard: 1, shards: 2, backend: request.backend });
  try {
    await worker.ready;

    /** Runs the worker's half and the local half at the same time, and averages them. */
    const both = async (body: RequestBody, mine: () => FlatParams): Promise<FlatParams> => {
      const theirs = worker.call(body);
      const own = mine();
      return meanFlat(own, asFlat(await theirs));
    };
    const applyBoth = async (g: FlatParams): Promise<void> => {
      const done = worker.call({ op: 'applySgd', g, lr });
      local.applySgd(g, lr);
      await done;
    };
    const metaStep = async (order: 1 | 2): Promise<FlatParams> => {
      const gS = await both({ op: 'gradS' }, () => local.gradS());
      const v = await both({ op: 'gradTAt', gS, alpha }, () => local.gradTAt(gS, alpha));
      const h = order === 2 ? await both({ op: 'hvpS', v }, () => local.hvpS(v)) : undefined;
      return combineMetaGradient(gS, v, h, { alpha, gamma });
    };

    const check = await agreement(ref, () => metaStep(2));

    const cases: { id: CaseId; title: string; what: string; images: number; run: () => Promise<void> }[] = [
      {
        id: 'forward',
        title: 'forward',
        what: 'embed 64 images, 32 per thread; the worker’s embeddings copied back',
        images: 64,
        run: async () => {
          const theirs = worker.call({ op: 'forward' });
          local.forward();
          await theirs;
        },
      },
      {
        id: 'first-order-step',
        title: 'first-order step',
        what: '∇L on 32 meta-train images per thread, averaged, SGD update on both replicas',
        images: 64,
        run: async () => applyBoth(await both({ op: 'gradS' }, () => local.gradS())),
      },
      {
        id: 'mfr-second-order',
        title: 'MFR meta-step, 2nd order',
        what: `∇L_S, then ∇L_T(θ′), then H_S·v (nested autodiff) on 32 + 32 images per thread, exchanged after each pass; g = γ∇L_S + (1−γ)(v − αH_S v); SGD on both replicas (no NaN guards). Agreement with mfrMetaGradient: ${check}`,
        images: 128,
        run: async () => applyBoth(await metaStep(2)),
      },
      {
        id: 'mfr-first-order',
        title: 'MFR meta-step, 1st order',
        what: '∇L_S, then ∇L_T(θ′) on 32 + 32 images per thread; g = γ∇L_S + (1−γ)∇L_T(θ′); SGD on both replicas',
        images: 128,
        run: async () => applyBoth(await metaStep(1)),
      },
      {
        id: 'erm-step',
        title: 'ERM step',
        what: 'pooled loss on 32 meta-train + 32 meta-test images per thread, averaged; SGD on both replicas',
        images: 128,
        run: async () => applyBoth(await both({ op: 'gradPooled' }, () => local.gradPooled())),
      },
    ];
    const out: CaseResult[] = [];
    for (const c of cases.filter((k) => request.cases.includes(k.id))) {
      request.log(`wasm reference ${c.id} (${PARALLEL_VARIANT})…`);
      const m = await measure(c.run, request.timing);
      request.log(`  ${m.wallMs ? `median ${m.wallMs.median.toFixed(1)} ms` : m.skipped}`);
      out.push({
        network: 'reference',
        case: c.id,
        variant: PARALLEL_VARIANT,
        title: c.title,
        what: c.what,
        images: c.images,
        ...(m.wallMs ? { wallMs: m.wallMs } : {}),
        ...(m.cpuMs ? { cpuMs: m.cpuMs } : {}),
        warmupMs: m.warmupMs,
        tensors: m.tensors,
        ...(m.skipped ? { skipped: m.skipped } : {}),
      });
    }
    return out;
  } finally {
    await worker.close();
    tf.dispose([localTrain.x, localTrain.labels, localTest.x, localTest.labels]);
    ref.dispose();
  }
}

/** Max relative difference (‖a − b‖∞ / ‖b‖∞ over parameters) between the parallel and the single-thread meta-gradient at the current θ. */
async function agreement(ref: ReturnType<typeof referenceSetup>, parallel: () => Promise<FlatParams>): Promise<string> {
  const { alpha, gamma } = REFERENCE_META;
  const { model, metaTrain, metaTest } = ref;
  const g = mfrMetaGradient(
    (p) => phaseObjective(model, [metaTrain], p, 'meta-train'),
    (p) => phaseObjective(model, [metaTest], p, 'meta-test'),
    model.space.variables,
    { alpha, gamma, order: 2, hessian: 'exact', fdStep: 1e-3 },
  );
  const single = model.space.keys.map((k) => (g[k] as tf.Tensor).dataSync() as Float32Array);
  disposeParams(g);
  const par = await parallel();
  let worst = 0;
  single.forEach((s, i) => {
    const p = par[i] as Float32Array;
    let scale = 0;
    let diff = 0;
    for (let j = 0; j < s.length; j++) {
      scale = Math.max(scale, Math.abs(s[j] as number));
      diff = Math.max(diff, Math.abs((s[j] as number) - (p[j] as number)));
    }
    worst = Math.max(worst, diff / Math.max(scale, 1e-30));
  });
  return `max relative difference ${worst.toExponential(1)}`;
}
