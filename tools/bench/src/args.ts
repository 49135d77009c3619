import { CASE_IDS, NETWORK_IDS, type CaseId, type NetworkId } from './workloads.js';

/** Backends the suite knows, fastest first (as `initBackend`'s `auto`). */
export const BENCH_BACKENDS = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;

/** Options of `npm run bench -- …`. */
export interface BenchOptions {
  /** Backends to try; unavailable ones are recorded as such. */
  readonly backends: readonly string[];
  readonly networks: readonly NetworkId[];
  readonly cases: readonly CaseId[];
  readonly warmup: number;
  readonly runs: number;
  /** Seconds one case may take before it is reported as skipped. */
  readonly budgetS: number;
  /** wasm: also time each replaced kernel against the baseline kernel set. */
  readonly kernels: boolean;
  /** wasm: also time the whole suite with the baseline kernel set (the kernels before the fast ones). */
  readonly baseline: boolean;
  /** wasm: also time every case with the backbone sharded over this many threads (@metadg/parallel); 1: not. */
  readonly threads: number;
  /** Folder of the JSON results. */
  readonly outDir: string;
  readonly help: boolean;
}

/** Usage text of the bench command. */
export const USAGE = `npm run bench -- [options]

Times forward, first-order step, MFR meta-steps (2nd and 1st order) and an ERM
step on the fixed reference network and on the default app's network, on every
available backend; writes bench/results/<date>-<backend>.json and prints a table.

  --backends <list>   comma-separated, of ${BENCH_BACKENDS.join(', ')} (default: all; missing ones are reported unavailable)
  --networks <list>   ${NETWORK_IDS.join(', ')} (default: both)
  --cases <list>      ${CASE_IDS.join(', ')} (default: all)
  --runs <n>          timed runs per case, ≥ 1 (default 7; medians of fewer than 5 are flagged)
  --warmup <n>        untimed runs first, ≥ 1 (default 2)
  --budget <seconds>  per case; a case whose first run shows it cannot finish in time is reported skipped (default 240)
  --no-kernels        skip the per-kernel micro-benchmarks (wasm, fast vs baseline kernels)
  --baseline          also run the whole suite with the baseline wasm kernels (METADG_WASM_KERNELS=baseline)
  --threads <n>       wasm: also time every case with the backbone sharded over n threads (default 2; 1: single thread only)
  --out <dir>         results folder (default bench/results)
  --help`;

function list<T extends string>(flag: string, value: string, allowed: readonly T[]): T[] {
  const items = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) throw new Error(`${flag}: empty list (choose from ${allowed.join(', ')})`);
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) throw new Error(`${flag}: unknown value "${item}" (choose from ${allowed.join(', ')})`);
  }
  return items as T[];
}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: expected a positive integer, got "${value}"`);
  return n;
}

/** Parses `argv` (without node and the script); errors name the flag at fault. */
export function parseArgs(argv: readonly string[]): BenchOptions {
  const o: { -readonly [K in keyof BenchOptions]: BenchOptions[K] } = {
    backends: [...BENCH_BACKENDS],
    networks: [...NETWORK_IDS],
    cases: [...CASE_IDS],
    warmup: 2,
    runs: 7,
    budgetS: 240,
    kernels: true,
    baseline: false,
    threads: 2,
    outDir: 'bench/results',
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${flag}: missing value`);
      return v;
    };
    switch (flag) {
      case '--backends':
        o.backends = list(flag, value(), BENCH_BACKENDS);
        break;
      case '--networks':
        o.networks = list(flag, value(), NETWORK_IDS);
        break;
      case '--cases':
        o.cases = list(flag, value(), CASE_IDS);
        break;
      case '--runs':
        o.runs = positiveInt(flag, value());
        break;
      case '--warmup':
        o.warmup = positiveInt(flag, value());
        break;
      case '--budget':
        o.budgetS = positiveInt(flag, value());
        break;
      case '--no-kernels':
        o.kernels = false;
        break;
      case '--baseline':
        o.baseline = true;
        break;
      case '--threads':
        o.threads = positiveInt(flag, value());
        break;
      case '--out':
        o.outDir = value();
        break;
      case '--help':
      case '-h':
        o.help = true;
        break;
      default:
        throw new Error(`unknown option "${flag}" (see --help)`);
    }
  }
  return o;
}
