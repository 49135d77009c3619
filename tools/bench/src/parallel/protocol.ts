import type { FlatParams } from './shard.js';

/** What the orchestrating thread asks a shard worker to do. */
export type ShardRequest =
  | { readonly id: number; readonly op: 'forward' }
  | { readonly id: number; readonly op: 'gradS' }
  | { readonly id: number; readonly op: 'gradPooled' }
  | { readonly id: number; readonly op: 'gradTAt'; readonly gS: FlatParams; readonly alpha: number }
  | { readonly id: number; readonly op: 'hvpS'; readonly v: FlatParams }
  | { readonly id: number; readonly op: 'applySgd'; readonly g: FlatParams; readonly lr: number };

/** A worker's answer: `result` for `id`, or the error it hit. */
export type ShardReply =
  | { readonly id: number; readonly result: FlatParams | Float32Array | null }
  | { readonly id: number; readonly error: string }
  | { readonly id: -1; readonly ready: true };

/** What a shard worker is started with. */
export interface ShardWorkerData {
  readonly shard: number;
  readonly shards: number;
  readonly backend: string;
}

/** Buffers of `arrays` that can be moved (not copied) to the other thread: only those the arrays own whole. */
export function transferable(arrays: readonly Float32Array[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const a of arrays) {
    if (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer && !out.includes(a.buffer)) out.push(a.buffer);
  }
  return out;
}
