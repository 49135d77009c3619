import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import { BackendError } from './errors.js';
import { installBackendFixes } from './install.js';

export { BackendError };

/** A backend the user may ask for; `auto` tries them fastest first. */
export type BackendChoice = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/** Concrete candidates in the order `auto` tries them. */
export const BACKEND_ORDER = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
/** One concrete backend candidate. */
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

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /** `auto` or one candidate (the CLI's `--backend`); overrides `METADG_BACKEND`. */
  readonly backend?: string;
  /** Where the one-line choice report goes (default: stderr). */
  readonly log?: (line: string) => void;
}

const PACKAGES: Record<BackendCandidate, string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

const requireHere = createRequire(import.meta.url);
/** A backend start: what was asked for, its outcome, and the candidate it resolved to. */
interface Running {
  readonly choice: BackendChoice;
  info: Promise<BackendInfo>;
  started?: BackendCandidate;
}

let current: Running | undefined;

/**
 * Starts a tensor backend and installs MetaDG's fixes (higher-order gradients,
 * missing kernels) for it.
 *
 * Choice: `options.backend`, else the `METADG_BACKEND` environment variable,
 * else `auto` — tfjs-node-gpu, tfjs-node, wasm, cpu, whichever loads first.
 * tfjs-node(-gpu) are optional: they are used when the user installed them.
 * A forced backend that cannot start is an error, never a silent fallback.
 *
 * Calling it again is cheap: without `options.backend` it returns the backend
 * already running (a library calling `initBackend()` never overrides the
 * application's choice); with a different `options.backend` it switches tfjs
 * to that backend (tensors move lazily) and installs its fixes. A switch that
 * fails leaves the previous backend running. The choice is logged once per
 * backend started.
 */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (options.backend === undefined && current !== undefined) return current.info;
  const fromEnv = process.env['METADG_BACKEND'];
  const requestedBy = options.backend !== undefined ? 'option' : fromEnv !== undefined ? 'env' : 'auto';
  let choice: BackendChoice;
  try {
    choice = parseChoice(options.backend ?? fromEnv ?? 'auto', requestedBy === 'env' ? 'METADG_BACKEND' : '--backend');
  } catch (err) {
    return Promise.reject(err);
  }
  // Asking again for what runs (by name, or `auto` again) changes nothing.
  if (current !== undefined && (current.choice === choice || current.started === choice)) return current.info;
  const previous = current;
  const entry: Running = { choice, info: start(choice, choice === 'auto' ? 'auto' : requestedBy) };
  entry.info = entry.info.then(
    (i) => {
      entry.started = i.candidate;
      const skipped = i.skipped.map((s) => `${s.candidate}: ${s.reason}`).join('; ');
      log(`metadg: tensor backend ${i.description}${skipped ? ` (skipped ${skipped})` : ''}`);
      return i;
    },
    async (err: unknown) => {
      if (current === entry) current = previous;
      if (previous !== undefined) await restore(previous.info);
      throw err;
    },
  );
  current = entry;
  return entry.info;
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
  const ok = await tf.setBackend(backend);
  if (!ok) throw new Error(`tf.setBackend("${backend}") failed`);
  await tf.ready();
  if (backend === 'cpu') silenceNodeBanner();
  // A tiny op proves kernels run (a broken native library fails here, not mid-training).
  const probe = tf.tidy(() => tf.matMul(tf.ones([2, 2]), tf.ones([2, 2])).dataSync()[0]);
  if (probe !== 2) throw new Error(`self-test gave ${probe}, expected 2`);
  return backend;
}

/** Returns to a backend that ran before a failed switch (best effort: the failure is what gets reported). */
async function restore(previous: Promise<BackendInfo>): Promise<void> {
  try {
    const info = await previous;
    if (tf.getBackend() !== info.backend) await tf.setBackend(info.backend);
  } catch {
    // The previous start had failed too: nothing to return to.
  }
}

/**
 * The cpu backend prints "Hi, looks like you are running TensorFlow.js in
 * Node.js…" on its first write. MetaDG logs its own backend line (which says
 * how to get a faster backend), so only that banner is switched off: by
 * marking the cpu backend as already used. Other tfjs warnings still show.
 */
function silenceNodeBanner(): void {
  const cpu = tf.findBackend('cpu') as (tf.KernelBackend & { firstUse?: boolean }) | null;
  if (cpu !== null && typeof cpu.firstUse === 'boolean') cpu.firstUse = false;
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
