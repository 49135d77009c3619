import * as tf from '@tensorflow/tfjs-core';
import { replaceKernel } from './stock_kernel.js';

/** What the zero-copy Identity needs of the backend: reference-counted data ids. */
interface IncRefBackend {
  incRef(dataId: tf.DataId): void;
}

/**
 * Identity for wasm without the copy. The stock kernel copies the whole
 * buffer; tfjs's cpu backend (and wasm's own Reshape) instead share the data
 * id and count the reference, which is safe because no kernel writes into
 * its inputs. Identity runs for every `tf.clone` — e.g. the clones of saved
 * outputs that put second-order paths back on the tape (engine fix), about
 * 300 per MFR meta-step. String tensors keep the stock path.
 */
export function identityWasmConfig(stock: tf.KernelConfig): tf.KernelConfig {
  return replaceKernel(stock, (args) => {
    const { x } = args.inputs;
    if (x === undefined) throw new Error(`wasm ${tf.Identity}: input x is required`);
    if (x.dtype === 'string') return stock.kernelFunc(args);
    (args.backend as IncRefBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  });
}
