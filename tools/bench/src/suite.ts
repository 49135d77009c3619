import * as tf from '@tensorflow/tfjs-core';
import { cpus, loadavg, totalmem } from 'node:os';
import { initBackend } from '@metadg/tensor';
import { totalFlops } from './flops.js';
import { benchKernels, type KernelTiming } from './kernels.js';
import { measure, type MeasureOptions } from './measure.js';
import { RESULT_SCHEMA, type BackendResult, type CaseResult, type MachineInfo } from './results.js';
import { buildWorkload, type BenchCase, type CaseId, type NetworkId, type Workload } from './workloads.js';

/** What one child process runs: one backend, one kernel set. */
export interface SuiteRequest {
  readonly backend: string;
  readonly networks: readonly NetworkId[];
  readonly cases: readonly CaseId[];
  readonly timing: MeasureOptions;
  /** Time the kernel micro-benchmarks instead of the network cases. */
  readonly kernelsOnly: boolean;
  /** Also time the 2-worker data-parallel variants of the reference cases (wasm). */
  readonly parallel: boolean;
  /** Progress lines (stderr of the child). */
  readonly log: (line: string) => void;
}

/** What a child reports back to the orchestrating process. */
export interface SuiteOutput {
  readonly result: Omit<BackendResult, 'kernels'>;
  readonly kernels?: readonly KernelTiming[];
}

/** The machine, with the current load average. */
export function machineInfo(loadAverageStart: readonly number[]): MachineInfo {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    totalMemoryGB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverageStart: loadAverageStart.map((l) => Math.round(l * 100) / 100),
    loadAverageEnd: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** FLOPs of one run of `c`, from the kernels it launches under `tf.profile`. */
async function tracedFlops(c: BenchCase): Promise<number> {
  const info = await tf.profile(async () => {
    await c.run();
    return [];
  });
  return totalFlops(info.kernels);
}

async function timeCase(workload: Workload, c: BenchCase, variant: string, timing: MeasureOptions): Promise<CaseResult> {
  const m = await measure(() => c.run(), timing);
  const flops = m.skipped ? undefined : await tracedFlops(c);
  return {
    network: workload.network,
    case: c.id,
    variant,
    title: c.title,
    what: c.what,
    images: c.images,
    ...(flops === undefined ? {} : { flops }),
    ...(m.wallMs ? { wallMs: m.wallMs } : {}),
    ...(m.cpuMs ? { cpuMs: m.cpuMs } : {}),
    warmupMs: m.warmupMs,
    ...(flops !== undefined && m.wallMs ? { gflopsPerS: flops / (m.wallMs.median * 1e6) } : {}),
    tensors: m.tensors,
    ...(m.skipped ? { skipped: m.skipped } : {}),
  };
}

/** A case left out because a cheaper one (`cheaper`) of the same network already exceeded the budget. */
function notRun(workload: Workload, c: BenchCase, cheaper: string): CaseResult {
  const n = tf.memory().numTensors;
  return {
    network: workload.network,
    case: c.id,
    variant: 'single thread',
    title: c.title,
    what: c.what,
    images: c.images,
    warmupMs: [],
    tensors: { initial: n, before: n, after: n },
    skipped: `not run: the cheaper case "${cheaper}" already exceeded the budget`,
  };
}

/** Runs the requested cases on one backend in this process. */
export async function runSuite(request: SuiteRequest): Promise<SuiteOutput> {
  const started = performance.now();
  const loadStart = loadavg();
  const info = await initBackend({ backend: request.backend, log: request.log });
  const kernelSet = info.backend === 'wasm' ? (process.env['METADG_WASM_KERNELS'] || 'fast') : undefined;
  const base = {
    schema: RESULT_SCHEMA,
    date: new Date().toISOString(),
    backend: info.backend,
    backendDescription: info.description,
    ...(kernelSet ? { kernelSet } : {}),
    settings: { warmup: request.timing.warmup, runs: request.timing.runs, budgetS: request.timing.budgetS },
  } as const;

  if (request.kernelsOnly) {
    request.log(`kernels on ${info.description}${kernelSet ? ` (${kernelSet} kernels)` : ''}`);
    const kernels = await benchKernels(request.timing);
    return {
      result: { ...base, machine: machineInfo(loadStart), networks: [], cases: [], peakRssMB: peakRssMB(), durationS: (performance.now() - started) / 1000 },
      kernels,
    };
  }

  const cases: CaseResult[] = [];
  const networks: BackendResult['networks'][number][] = [];
  for (const network of request.networks) {
    const workload = buildWorkload(network);
    try {
      networks.push({ id: workload.network, title: workload.title, setup: workload.setup, forwardFlopsPerImage: workload.forwardFlopsPerImage });
      // Cases run cheapest first; once one exceeds the budget, the costlier
      // ones are not started (one MFR step on the stock cpu backend takes > 15 min).
      let overBudget: string | undefined;
      for (const c of workload.cases.filter((k) => request.cases.includes(k.id))) {
        request.log(`${info.backend} ${network} ${c.id}…`);
        const r = overBudget === undefined ? await timeCase(workload, c, 'single thread', request.timing) : notRun(workload, c, overBudget);
        if (r.skipped !== undefined && overBudget === undefined) overBudget = c.title;
        request.log(`  ${r.wallMs ? `median ${r.wallMs.median.toFixed(1)} ms` : r.skipped}`);
        cases.push(r);
      }
    } finally {
      workload.dispose();
    }
  }
  if (request.parallel && request.networks.includes('reference')) {
    const { runParallelCases } = await import('./parallel/parallel-cases.js');
    cases.push(...(await runParallelCases(request)));
  }
  return {
    result: { ...base, machine: machineInfo(loadStart), networks, cases, peakRssMB: peakRssMB(), durationS: (performance.now() - started) / 1000 },
  };
}

/** Peak resident set size of this process so far, in MB. */
function peakRssMB(): number {
  // resourceUsage().maxRSS is in kilobytes.
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
