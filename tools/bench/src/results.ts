import type { KernelTiming } from './kernels.js';
import type { Summary } from './stats.js';
import type { CaseId, NetworkId } from './workloads.js';

/** Version tag of the result files, bumped when their shape changes. */
export const RESULT_SCHEMA = 'metadg-bench/1';

/** The machine a result was measured on, and how busy it was. */
export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly totalMemoryGB: number;
  readonly node: string;
  readonly platform: string;
  /** `os.loadavg()` (1, 5, 15 min) when the backend's run started and ended: other processes share the cores. */
  readonly loadAverageStart: readonly number[];
  readonly loadAverageEnd: readonly number[];
}

/** One timed case of one network on one backend. */
export interface CaseResult {
  readonly network: NetworkId;
  readonly case: CaseId;
  /** `single thread` (the library as shipped) or an experiment, e.g. `2 workers (data-parallel)`. */
  readonly variant: string;
  readonly title: string;
  readonly what: string;
  readonly images: number;
  /** FLOPs of one run, counted from the kernels it launched (tf.profile; see flops.ts); absent for skipped cases. */
  readonly flops?: number;
  readonly wallMs?: Summary;
  /** Process CPU time per run (all threads), less sensitive than wall time to other processes on the machine. */
  readonly cpuMs?: Summary;
  readonly warmupMs: readonly number[];
  /** flops / median wall time. */
  readonly gflopsPerS?: number;
  /** `tf.memory().numTensors` before the warm-up, before the timed runs and after them (see measure.ts). */
  readonly tensors: { readonly initial: number; readonly before: number; readonly after: number };
  readonly skipped?: string;
}

/** A kernel timed under the fast kernel set and under the baseline set (the kernels before this change). */
export interface KernelComparison {
  readonly id: string;
  readonly kernel: string;
  readonly shape: string;
  readonly flops: number;
  readonly fast: Pick<KernelTiming, 'wallMs' | 'cpuMs' | 'skipped'>;
  readonly baseline?: Pick<KernelTiming, 'wallMs' | 'cpuMs' | 'skipped'>;
  /** Baseline median / fast median (wall). */
  readonly speedup?: number;
  /** |Σ|fast| − Σ|baseline|| / Σ|baseline|: a cheap agreement check between the two processes. */
  readonly checksumRelativeDifference?: number;
}

/** Everything one backend's run produced: `bench/results/<date>-<backend>.json`. */
export interface BackendResult {
  readonly schema: typeof RESULT_SCHEMA;
  readonly date: string;
  readonly backend: string;
  readonly backendDescription: string;
  /** wasm only: `fast` (default) or `baseline` (METADG_WASM_KERNELS). */
  readonly kernelSet?: string;
  readonly machine: MachineInfo;
  readonly settings: { readonly warmup: number; readonly runs: number; readonly budgetS: number };
  readonly networks: readonly { readonly id: NetworkId; readonly title: string; readonly setup: string; readonly forwardFlopsPerImage: number }[];
  readonly cases: readonly CaseResult[];
  readonly kernels?: readonly KernelComparison[];
  /** Peak resident set size of the process that ran this backend's suite. */
  readonly peakRssMB: number;
  readonly durationS: number;
}

/** A backend that could not run, and why (e.g. tfjs-node not installed). */
export interface Unavailable {
  readonly backend: string;
  readonly reason: string;
}
