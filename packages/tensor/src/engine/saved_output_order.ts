import * as tf from '@tensorflow/tfjs-core';

/**
 * Engine fix: keep the tape in dependency order when an op saves its own
 * outputs for the backward pass.
 *
 * Why: `Engine.runKernelFunc` runs the kernel, and *inside* that call
 * `saveTensorsForBackwardMode` (or a customGrad `save`) clones the tensors the
 * gradient will need; `Engine.clone` appends an Identity node for each clone to
 * the tape right away. The producing op's own node is appended only after the
 * kernel returns. For a saved *output* y the tape therefore reads
 * `Identity(y) → y'` before `op(x) → y`. `getFilteredNodesXToY` walks the tape
 * forward once, so when it meets the Identity node y is not yet known to depend
 * on x and the node is dropped: at second order every path through y' (the
 * `dy·y` of Exp, the `1 − y²` of Tanh, softmax in LogSoftmax…) silently
 * disappears or the whole gradient throws "Cannot compute gradient".
 *
 * The fix lives in one place for every such op (Exp, Tanh, Sigmoid, Softmax,
 * LogSoftmax, Pow, Max, Min, Elu, MaxPool, customGrad ops and any op added
 * later): after `runKernelFunc` returns, the clone nodes that read the
 * producer's outputs are moved right after the producer. Clones of inputs stay
 * where they are (their order was already valid). Re-registering each affected
 * gradient to recompute from inputs would duplicate forward work and miss
 * customGrad ops, so the engine is wrapped instead.
 */

/** tfjs-core's engine type (not exported by name). */
type TfEngine = ReturnType<typeof tf.engine>;

/** The part of a tape node this fix reads (tfjs-core's `TapeNode`). */
interface TapeNodeView {
  readonly inputs: Readonly<Record<string, tf.Tensor | undefined>>;
  readonly outputs: readonly tf.Tensor[];
}

type RunKernelFunc = (this: EngineView, params: unknown) => tf.Tensor | tf.Tensor[];

/** The private engine members the fix wraps or reads (stable across tfjs 3–4). */
interface EngineView {
  runKernelFunc: RunKernelFunc;
  isTapeOn(): boolean;
  readonly state: { activeTape: TapeNodeView[] | null };
}

// Symbol.for: ESM and CJS copies of this package share one marker, so the
// global engine is never wrapped twice.
const ORIGINAL = Symbol.for('@metadg/tensor:saved-output-order:original');

type MarkedEngine = EngineView & { [ORIGINAL]?: RunKernelFunc };

function view(engine: TfEngine): MarkedEngine {
  const e = engine as unknown as MarkedEngine;
  if (typeof e.runKernelFunc !== 'function' || typeof e.isTapeOn !== 'function' || e.state === undefined) {
    throw new Error('@metadg/tensor: this tfjs-core engine has no runKernelFunc/isTapeOn/state (unsupported tfjs version)');
  }
  return e;
}

/** Whether the saved-output ordering fix is active on `engine`. */
export function isSavedOutputOrderFixInstalled(engine: TfEngine = tf.engine()): boolean {
  return Object.prototype.hasOwnProperty.call(engine, ORIGINAL);
}

/**
 * Wraps `engine.runKernelFunc` so clones of an op's saved outputs are recorded
 * after the op on the gradient tape. Idempotent; returns `false` when already
 * installed.
 */
export function installSavedOutputOrderFix(engine: TfEngine = tf.engine()): boolean {
  if (isSavedOutputOrderFixInstalled(engine)) return false;
  const e = view(engine);
  const original = e.runKernelFunc;
  e[ORIGINAL] = original;
  e.runKernelFunc = function runKernelFuncInTapeOrder(this: EngineView, params: unknown) {
    const tape = this.isTapeOn() ? this.state.activeTape : null;
    const start = tape === null ? 0 : tape.length;
    const result = original.call(this, params);
    // Two or more new nodes means clones were recorded before their producer.
    if (tape !== null && tape === this.state.activeTape && tape.length - start >= 2) {
      moveOutputClonesAfterProducer(tape, start);
    }
    return result;
  };
  return true;
}

/**
 * Restores the stock `runKernelFunc` (tests use this to show the stock bug).
 * Returns `false` when the fix was not installed.
 */
export function uninstallSavedOutputOrderFix(engine: TfEngine = tf.engine()): boolean {
  if (!isSavedOutputOrderFixInstalled(engine)) return false;
  const e = engine as unknown as MarkedEngine;
  // Deleting the own properties uncovers the prototype's method again.
  delete (e as Partial<MarkedEngine>).runKernelFunc;
  delete e[ORIGINAL];
  return true;
}

/**
 * Reorders `tape[start..]`, whose last node is the producer, so that the nodes
 * reading one of the producer's outputs come right after it.
 */
function moveOutputClonesAfterProducer(tape: TapeNodeView[], start: number): void {
  const producer = tape[tape.length - 1] as TapeNodeView;
  const produced = new Set(producer.outputs.map((t) => t.id));
  const before: TapeNodeView[] = [];
  const after: TapeNodeView[] = [];
  for (let i = start; i < tape.length - 1; i++) {
    const node = tape[i] as TapeNodeView;
    const readsOutput = Object.values(node.inputs).some((t) => t !== undefined && produced.has(t.id));
    (readsOutput ? after : before).push(node);
  }
  if (after.length === 0) return;
  tape.splice(start, tape.length - start, ...before, producer, ...after);
}
