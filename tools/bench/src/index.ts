/**
 * @metadg/bench — the benchmark suite (`npm run bench`): forward,
 * first-order step, MFR meta-steps and ERM step on the fixed reference
 * network and on the default app's network, per available backend, plus
 * micro-benchmarks of the fast wasm kernels against the kernels they
 * replaced. Each backend runs in its own child process (clean backend state,
 * its own peak RSS); results go to `bench/results/<date>-<backend>.json`.
 *
 * @packageDocumentation
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, USAGE, type BenchOptions } from './args.js';
import type { KernelTiming } from './kernels.js';
import { bestOf, compareKernels, formatReport } from './report.js';
import type { BackendResult, Unavailable } from './results.js';
import type { SuiteOutput, SuiteRequest } from './suite.js';

const CHILD_FLAG = '--child';
const PACKAGES: Record<string, string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

type ChildRequest = Omit<SuiteRequest, 'log'>;

/** Runs one suite request in a fresh Node process and returns its output. */
async function runChild(request: ChildRequest, env: NodeJS.ProcessEnv): Promise<SuiteOutput> {
  const dir = mkdtempSync(join(tmpdir(), 'metadg-bench-'));
  const file = join(dir, 'result.json');
  try {
    const script = fileURLToPath(import.meta.url);
    const code = await new Promise<number | null>((done, fail) => {
      const child = spawn(process.execPath, [script, CHILD_FLAG, JSON.stringify(request), file], { stdio: ['ignore', 'inherit', 'inherit'], env });
      child.on('error', fail);
      child.on('exit', done);
    });
    if (code !== 0) throw new Error(`bench child for backend ${request.backend} exited with code ${code}`);
    return JSON.parse(readFileSync(file, 'utf8')) as SuiteOutput;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether `backend`'s package resolves from here (tfjs-node is optional and usually absent). */
function installed(backend: string): string | undefined {
  const pkg = PACKAGES[backend] ?? backend;
  try {
    createRequire(import.meta.url).resolve(pkg);
    return undefined;
  } catch {
    return `${pkg} is not installed`;
  }
}

async function orchestrate(options: BenchOptions): Promise<void> {
  const results: BackendResult[] = [];
  const unavailable: Unavailable[] = [];
  const timing = { warmup: options.warmup, runs: options.runs, budgetS: options.budgetS };
  const request = (backend: string, extra: Partial<ChildRequest> = {}): ChildRequest => ({
    backend,
    networks: options.networks,
    cases: options.cases,
    timing,
    kernelsOnly: false,
    threads: [1],
    ...extra,
  });
  const fastEnv = { ...process.env, METADG_WASM_KERNELS: 'fast' };
  const baselineEnv = { ...process.env, METADG_WASM_KERNELS: 'baseline' };
  for (const backend of options.backends) {
    const missing = installed(backend);
    if (missing) {
      unavailable.push({ backend, reason: missing });
      continue;
    }
    let out: SuiteOutput;
    try {
      out = await runChild(request(backend, { threads: backend === 'wasm' && options.threads > 1 ? [1, options.threads] : [1] }), fastEnv);
    } catch (err) {
      unavailable.push({ backend, reason: err instanceof Error ? err.message : String(err) });
      continue;
    }
    let result: BackendResult = out.result;
    if (backend === 'wasm' && options.kernels) {
      // Fast and baseline alternate twice, each kernel keeping its better median:
      // the load of a shared machine drifts between processes.
      const fast: (readonly KernelTiming[])[] = [];
      const baseline: (readonly KernelTiming[])[] = [];
      for (let round = 0; round < 2; round++) {
        fast.push((await runChild(request(backend, { kernelsOnly: true }), fastEnv)).kernels ?? []);
        baseline.push((await runChild(request(backend, { kernelsOnly: true }), baselineEnv)).kernels ?? []);
      }
      result = { ...result, kernels: compareKernels(bestOf(fast), bestOf(baseline)) };
    }
    results.push(result);
    if (backend === 'wasm' && options.baseline) results.push((await runChild(request(backend), baselineEnv)).result);
  }
  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  for (const r of results) {
    const name = `${r.date.slice(0, 10)}-${r.backend}${r.kernelSet && r.kernelSet !== 'fast' ? `-${r.kernelSet}` : ''}.json`;
    writeFileSync(join(outDir, name), `${JSON.stringify({ ...r, unavailable }, null, 2)}\n`);
    console.log(`wrote ${join(options.outDir, name)}`);
  }
  // The same table as a readable file next to the JSON.
  const table = formatReport(results, unavailable);
  const tableName = `${(results[0]?.date ?? new Date().toISOString()).slice(0, 10)}-report.md`;
  writeFileSync(join(outDir, tableName), `# Benchmark ${tableName.slice(0, 10)}\n\n\`\`\`\n${table}\n\`\`\`\n`);
  console.log(`wrote ${join(options.outDir, tableName)}\n\n${table}`);
}

async function child(requestJson: string, file: string): Promise<void> {
  const { runSuite } = await import('./suite.js');
  const request = JSON.parse(requestJson) as ChildRequest;
  const out = await runSuite({ ...request, log: (line) => process.stderr.write(`${line}\n`) });
  writeFileSync(file, JSON.stringify(out));
}

async function main(argv: readonly string[]): Promise<void> {
  if (argv[0] === CHILD_FLAG) return child(argv[1] ?? '{}', argv[2] ?? '');
  const options = parseArgs(argv);
  if (options.help) {
    console.log(USAGE);
    return;
  }
  await orchestrate(options);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error ? `bench: ${err.message}` : err);
  process.exitCode = 1;
});
