import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import { installBackendFixes } from './install.js';

/** A backend the user may ask for; `auto` tries them fastest first. */
export type BackendChoice = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/** Concrete candidates in the order `auto` tries them. */
export const BACKEND_ORDER = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendCandidate = (typeof BACKEND_ORDER)[number];

/** What runs, and why the faster candidates did not. */
export interface BackendInfo {
  /** The candidate that runs. */
  readonly candidate: BackendCandidate;
  /** tfjs backend name (`tensorflow`, `wasm` or `cpu`). */
  readonly backend: string;
  /** npm package that provides it. */
  readonly packageName: string;
  /** Human description, e.g. `wasm (SIMD, 1 thread)`. */
  readonly description: string;
  /** How the choice was made: `auto`, `--backend`/option, or `METADG_BACKEND`. */
  readonly requestedBy: 'auto' | 'option' | 'env';
  /** Candidates tried before this one, with the reason each was skipped. */
  readonly skipped: readonly { readonly candidate: BackendCandidate; readonly reason: string }[];
}

/** The backend requested is unknown or could not be started. */
export class BackendError extends Error {
  override name = 'BackendError';
  readonly code = 'BACKEND_UNAVAILABLE';
}

const PACKAGES: Record<BackendCandidate, string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

const requireHere = createRequire(import.meta.url);
let current: { key: string; info: Promise<BackendInfo> } | undefined;

/**
 * Starts a tensor backend once per process and installs MetaDG's fixes
 * (higher-order gradients, missing kernels) for it.
 *
 * Choice: `options.backend`, else the `METADG_BACKEND` environment variable,
 * else `auto` — tfjs-node-gpu, tfjs-node, wasm, cpu, whichever loads first.
 * tfjs-node(-gpu) are optional: they are used when the user installed them.
 * A forced backend that cannot start is an error, never a silent fallback.
 */
export function initBackend(
  options: { backend?: string; log?: (line: string) => void } = {},
): Promise<BackendInfo> {
  const fromEnv = process.env['METADG_BACKEND'];
  const raw = options.backend ?? fromEnv ?? 'auto';
  const requestedBy = options.backend !== undefined ? 'option' : fromEnv !== undefined ? 'env' : 'auto';
  const choice = parseChoice(raw, requestedBy === 'env' ? 'METADG_BACKEND' : '--backend');
  const key = choice;
  if (current?.key === key) return current.info;
  const info = start(choice, requestedBy === 'auto' || choice === 'auto' ? 'auto' : requestedBy);
  current = { key, info };
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  return info.then((i) => {
    const skipped = i.skipped.map((s) => `${s.candidate}: ${s.reason}`).join('; ');
    log(`metadg: tensor backend ${i.description}${skipped ? ` (skipped ${skipped})` : ''}`);
    return i;
  });
}

/** The backend `initBackend` started, if any. */
export async function currentBackend(): Promise<BackendInfo | undefined> {
  return current?.info;
}

function parseChoice(raw: string, source: string): BackendChoice {
  const value = raw.trim().toLowerCase();
  const valid: readonly string[] = ['auto', ...BACKEND_ORDER];
  if (!valid.includes(value)) {
    throw new BackendError(`${source}: unknown backend "${raw}" (choose one of ${valid.join(', ')})`);
  }
  return value as BackendChoice;
}

async function start(choice: BackendChoice, requestedBy: BackendInfo['requestedBy']): Promise<BackendInfo> {
  const candidates = choice === 'auto' ? BACKEND_ORDER : [choice];
  const skipped: { candidate: BackendCandidate; reason: string }[] = [];
  for (const candidate of candidates) {
    try {
      const backend = await activate(candidate);
      installBackendFixes(backend);
      return {
        candidate,
        backend,
        packageName: PACKAGES[candidate],
        description: describe(candidate, backend),
        requestedBy,
        skipped,
      };
    } catch (err) {
      const reason = (err as Error).message.split('\n')[0] ?? 'failed';
      if (choice !== 'auto') throw new BackendError(`backend "${candidate}" (${PACKAGES[candidate]}) cannot start: ${reason}`);
      skipped.push({ candidate, reason });
    }
  }
  throw new BackendError(`no tensor backend could start: ${skipped.map((s) => `${s.candidate}: ${s.reason}`).join('; ')}`);
}

async function activate(candidate: BackendCandidate): Promise<string> {
  const pkg = PACKAGES[candidate];
  try {
    requireHere.resolve(pkg);
  } catch {
    throw new Error('not installed');
  }
  // Loaded only when chosen: importing the wasm package alone would make it
  // the default backend (TFJS-NOTES.md), and tfjs-node needs its native library.
  requireHere(pkg);
  const backend = candidate === 'tensorflow-gpu' ? 'tensorflow' : candidate;
  if (candidate === 'tensorflow-gpu' && !requireHere('@tensorflow/tfjs-node-gpu')) throw new Error('failed to load');
  const ok = await tf.setBackend(backend);
  if (!ok) throw new Error(`tf.setBackend("${backend}") failed`);
  await tf.ready();
  // A tiny op proves kernels run (a broken native library fails here, not mid-training).
  const probe = tf.tidy(() => tf.matMul(tf.ones([2, 2]), tf.ones([2, 2])).dataSync()[0]);
  if (probe !== 2) throw new Error(`self-test gave ${probe}, expected 2`);
  return backend;
}

function describe(candidate: BackendCandidate, backend: string): string {
  if (backend === 'wasm') {
    const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
    return `wasm (${simd ? 'SIMD' : 'no SIMD'}, ${threads ? 'multi-threaded' : '1 thread'})`;
  }
  if (candidate === 'tensorflow-gpu') return 'tensorflow (tfjs-node-gpu, CUDA)';
  if (candidate === 'tensorflow') return 'tensorflow (tfjs-node, native CPU)';
  return 'cpu (pure JavaScript)';
}
