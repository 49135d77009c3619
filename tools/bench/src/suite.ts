import * as tf from '@tensorflow/tfjs-core';
import { cpus, loadavg, totalmem } from 'node:os';
import { initBackend } from '@metadg/tensor';
import { totalFlops } from './flops.js';
import { benchKernels, type KernelTiming } from './kernels.js';
import { measure, type MeasureOptions } from './measure.js';
import { RESULT_SCHEMA, type BackendResult, type CaseResult, type MachineInfo } from './results.js';
import { startBenchShards, threadsVariant } from './parallel/threads.js';
import { buildWorkload, type BackboneView, type BenchCase, type CaseId, type NetworkId, type Workload } from './workloads.js';

/** What one child process runs: one backend, one kernel set. */
export interface SuiteRequest {
  readonly backend: string;
  readonly networks: readonly NetworkId[];
  readonly cases: readonly CaseId[];
  readonly timing: MeasureOptions;
  /** Time the kernel micro-benchmarks instead of the network cases. */
  readonly kernelsOnly: boolean;
  /** Threads per variant: 1 is the plain library; n > 1 also runs every case with the backbone sharded over n threads. */
  readonly threads: readonly number[];
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

/** What names a case in the results: network, case, variant and its description. */
function caseIdentity(workload: Workload, c: BenchCase, variant: string): Pick<CaseResult, 'network' | 'case' | 'variant' | 'title' | 'what' | 'images'> {
  return { network: workload.network, case: c.id, variant, title: c.title, what: c.what, images: c.images };
}

async function timeCase(workload: Workload, c: BenchCase, variant: string, timing: MeasureOptions): Promise<CaseResult> {
  const m = await measure(() => c.run(), timing);
  const flops = m.skipped ? undefined : await tracedFlops(c);
  return {
    ...caseIdentity(workload, c, variant),
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
function notRun(workload: Workload, c: BenchCase, variant: string, cheaper: string): CaseResult {
  const n = tf.memory().numTensors;
  return {
    ...caseIdentity(workload, c, variant),
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
    for (const threads of request.threads) {
      const shards = threads > 1 ? await startBenchShards(network, threads, info.backend) : undefined;
      const variant = threads > 1 ? threadsVariant(threads) : 'single thread';
      const workload = buildWorkload(network, shards?.wrap as BackboneView | undefined);
      try {
        if (!networks.some((n) => n.id === network)) {
          networks.push({ id: workload.network, title: workload.title, setup: workload.setup, forwardFlopsPerImage: workload.forwardFlopsPerImage });
        }
        // Cases run cheapest first; once one exceeds the budget, the costlier
        // ones are not started (one MFR step on the stock cpu backend takes > 15 min).
        let overBudget: string | undefined;
        for (const c of workload.cases.filter((k) => request.cases.includes(k.id))) {
          request.log(`${info.backend} ${network} ${c.id} (${variant})…`);
          const r = overBudget === undefined ? await timeCase(workload, c, variant, request.timing) : notRun(workload, c, variant, overBudget);
          if (r.skipped !== undefined && overBudget === undefined) overBudget = c.title;
          request.log(`  ${r.wallMs ? `median ${r.wallMs.median.toFixed(1)} ms` : r.skipped}`);
          cases.push(r);
        }
      } finally {
        workload.dispose();
        await shards?.close();
      }
    }
  }
  return {
    result: { ...base, machine: machineInfo(loadStart), networks, cases: withSingleThreadFlops(cases), peakRssMB: peakRssMB(), durationS: (performance.now() - started) / 1000 },
  };
}

/**
 * FLOP tracing sees only this thread's kernels, so a sharded variant takes
 * the FLOPs of the same case on one thread (the work is the same).
 */
function withSingleThreadFlops(cases: readonly CaseResult[]): CaseResult[] {
  return cases.map((c) => {
    if (c.variant === 'single thread') return c;
    const single = cases.find((s) => s.variant === 'single thread' && s.network === c.network && s.case === c.case);
    const { flops: _traced, gflopsPerS: _rate, ...rest } = c;
    if (single?.flops === undefined) return rest;
    return { ...rest, flops: single.flops, ...(c.wallMs ? { gflopsPerS: single.flops / (c.wallMs.median * 1e6) } : {}) };
  });
}

/** Peak resident set size of this process so far, in MB. */
function peakRssMB(): number {
  // resourceUsage().maxRSS is in kilobytes.
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
