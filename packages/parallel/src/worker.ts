// Entry of a shard worker thread (dist/worker.js). It starts its own tfjs
// backend, builds its copy of the backbone with the user's factory, checks
// it against the main thread's, then serves requests synchronously from
// shared memory until told to exit.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type { Backbone, ParamMap } from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import { signal, writeError } from './channel.js';
import { flattenInto, unflatten } from './flat-params.js';
import { COMMAND, requestLayout, SLOT, STATE } from './protocol.js';
import type { ShardWorkerData, ShardWorkerHello } from './shard-worker.js';

const setup = workerData as ShardWorkerData;

async function build(): Promise<Backbone> {
  await initBackend({ backend: setup.backend, log: () => {} });
  const mod = (await import(setup.factory.module)) as Record<string, unknown>;
  const create = mod[setup.factory.exportName];
  if (typeof create !== 'function') {
    throw new Error(`${setup.factory.module} has no function export "${setup.factory.exportName}"`);
  }
  const backbone = (await (create as (options: unknown) => Backbone | Promise<Backbone>)(setup.factory.options)) as Backbone;
  checkCopy(backbone);
  return backbone;
}

/** The worker's backbone must match the main thread's, or every answer would be silently wrong. */
function checkCopy(b: Backbone): void {
  const keys = Object.keys(b.params);
  if (keys.join('\n') !== setup.keys.join('\n')) {
    throw new Error(`the factory's backbone has parameters [${keys.join(', ')}], the main thread's [${setup.keys.join(', ')}]`);
  }
  keys.forEach((k, i) => {
    const shape = (b.params[k] as tf.Variable).shape;
    const expected = setup.shapes[i] as readonly number[];
    if (shape.join(',') !== expected.join(',')) throw new Error(`parameter "${k}" has shape [${shape}] in the worker, [${expected}] on the main thread`);
  });
  if (b.inputShape.join(',') !== setup.inputShape.join(',')) throw new Error(`input shape [${b.inputShape}] vs [${setup.inputShape}] on the main thread`);
  if (b.embeddingSize !== setup.geometry.embeddingSize) {
    throw new Error(`embedding size ${b.embeddingSize} vs ${setup.geometry.embeddingSize} on the main thread`);
  }
}

function serve(backbone: Backbone): void {
  const control = new Int32Array(setup.buffers.control);
  let data = new Float32Array(setup.buffers.data);
  const { geometry } = setup;
  const [h, w, c] = setup.inputShape as [number, number, number];

  const asMap = (theta: readonly tf.Tensor[]): ParamMap => Object.fromEntries(setup.keys.map((k, i) => [k, theta[i] as tf.Tensor]));

  for (;;) {
    let state = Atomics.load(control, SLOT.state);
    while (state !== STATE.request) {
      Atomics.wait(control, SLOT.state, state);
      state = Atomics.load(control, SLOT.state);
    }
    const command = Atomics.load(control, SLOT.command);
    if (command === COMMAND.exit) {
      signal(control, STATE.done);
      return;
    }
    try {
      if (command === COMMAND.resize) {
        const message = receiveMessageOnPort(setup.port);
        if (message === undefined) throw new Error('resize without a new buffer on the port');
        data = new Float32Array(message.message as SharedArrayBuffer);
      } else {
        const rows = Atomics.load(control, SLOT.rows);
        const at = requestLayout(geometry, rows);
        tf.tidy(() => {
          const theta = unflatten(data.subarray(at.params, at.params + geometry.paramFloats), setup.shapes);
          const x = tf.tensor4d(data.slice(at.images, at.images + rows * geometry.imageFloats), [rows, h, w, c]);
          if (command === COMMAND.forward) {
            data.set(backbone.embed(x, asMap(theta)).dataSync(), at.result);
          } else if (command === COMMAND.backward) {
            const dE = tf.tensor2d(data.slice(at.upstream, at.upstream + rows * geometry.embeddingSize), [rows, geometry.embeddingSize]);
            const grads = tf.grads((...p: tf.Tensor[]) => backbone.embed(x, asMap(p)))(theta, dE);
            flattenInto(grads, data, at.result);
          } else {
            throw new Error(`unknown command ${command}`);
          }
        });
      }
      signal(control, STATE.done);
    } catch (err) {
      writeError(control, setup.buffers.error, err instanceof Error ? err.message : String(err));
      signal(control, STATE.failed);
    }
  }
}

build().then(
  (backbone) => {
    parentPort?.postMessage({ ready: true } satisfies ShardWorkerHello);
    serve(backbone);
    backbone.dispose();
  },
  (err: unknown) => {
    parentPort?.postMessage({ ready: false, error: err instanceof Error ? err.message : String(err) } satisfies ShardWorkerHello);
  },
);
