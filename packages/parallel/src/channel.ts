import { CONTROL_SLOTS, ERROR_BUFFER_BYTES, SLOT, STATE } from './protocol.js';

/** The shared memory of one main-thread ↔ worker pair. */
export interface ChannelBuffers {
  readonly control: SharedArrayBuffer;
  readonly error: SharedArrayBuffer;
  readonly data: SharedArrayBuffer;
}

/** Fresh buffers with room for `floats` data values. */
export function createChannelBuffers(floats: number): ChannelBuffers {
  return {
    control: new SharedArrayBuffer(CONTROL_SLOTS * Int32Array.BYTES_PER_ELEMENT),
    error: new SharedArrayBuffer(ERROR_BUFFER_BYTES),
    data: new SharedArrayBuffer(Math.max(1, floats) * Float32Array.BYTES_PER_ELEMENT),
  };
}

/** Sets the request state and wakes the other side. */
export function signal(control: Int32Array, state: number): void {
  Atomics.store(control, SLOT.state, state);
  Atomics.notify(control, SLOT.state);
}

/**
 * Blocks until the state leaves `from` (or `timeoutMs` passes: returns
 * `from`). Waits in slices so that a timeout is noticed even without a wake-up.
 */
export function waitWhile(control: Int32Array, from: number, timeoutMs: number): number {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = Atomics.load(control, SLOT.state);
    if (state !== from) return state;
    const left = deadline - Date.now();
    if (left <= 0) return state;
    Atomics.wait(control, SLOT.state, from, Math.min(left, 1000));
  }
}

/** Writes `message` (UTF-8, truncated to the buffer) as the worker's error. */
export function writeError(control: Int32Array, error: SharedArrayBuffer, message: string): void {
  const bytes = new TextEncoder().encode(message).subarray(0, error.byteLength);
  new Uint8Array(error).set(bytes);
  Atomics.store(control, SLOT.errorBytes, bytes.length);
}

/** The worker's error message. */
export function readError(control: Int32Array, error: SharedArrayBuffer): string {
  const length = Atomics.load(control, SLOT.errorBytes);
  // TextDecoder refuses views of shared memory: copy first.
  return new TextDecoder().decode(new Uint8Array(error, 0, length).slice());
}

export { STATE };
