import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, readConfigFile, consoleLogger, formatError, loadPluginPackages, MetaDGError } from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import { builtinRegistry } from './builtin-plugins.js';
import { ablate } from './commands/ablate.js';
import { compare } from './commands/compare.js';
import { evaluateJob } from './commands/evaluate.js';
import { idMergeCommand } from './commands/id-merge.js';
import { jobCommand } from './commands/job.js';
import {
  metricsCommand,
  mfrReferenceCommand,
  openDataset,
  pluginsCommand,
  previewCommand,
  statsCommand,
} from './commands/tools.js';
import { sweep } from './commands/sweep.js';
import { train } from './commands/train.js';
import { ablationReportExtras, type AblationSummary } from './ablation/report.js';
import { writeStudyOutputs, type CompareOutput } from './study/collect.js';
import type { JobDescription } from './study/job-plan.js';
import type { FailedJob } from './study/run-jobs.js';
import type { SweepOutput } from './sweep/collect-sweep.js';
import type { ProgressSink } from './ui/progress.js';

const USAGE = `metadg — meta-learning for domain generalisation (MFR, ERM, MLDG, MAML)

Usage:
  metadg demo [--out DIR] [--workers N]        compare MFR, ERM and MLDG on the embedded glyph benchmark
  metadg compare --config FILE [--out DIR] [--workers N]
                                               leave-one-domain-out comparison: algorithms × domains × seeds,
                                               at equal images seen unless the config sets a budget
  metadg sweep --config FILE [--trials N] [--out DIR] [--workers N]
                                               random hyper-parameter search; a trial selected per
                                               algorithm × domain × seed on validation data
  metadg ablate STUDY [--config FILE] [--out DIR] [--steps N] [--seeds N] [--held-out D1,D2] [--workers N]
                                               the paper's ablations on the demo's MFR run:
                                               order, gamma, losses, sampling, alpha
  metadg train --config FILE [--held-out DOMAIN] [--out DIR] [--threads N]
                                               one run, checkpointed; evaluated on its held-out domain;
                                               --threads N splits each batch over N threads (config \`threads\`)
  metadg eval JOB_DIR [--held-out DOMAIN]      re-evaluate a job's checkpoint
  metadg report STUDY_DIR                      rebuild compare.json and report.html from finished jobs
  metadg metrics SCORES.json                   ROC/AUC/TPR@FPR/10-fold accuracy of {"scores": [...], "labels": [...]}
  metadg mfr-reference CASE.json [--check]     MFR losses and meta-gradients of a reference case
  metadg data stats DATASET [--hparams JSON]   domains, identities and samples (a dataset plugin or a folder)
  metadg data preview DATASET [--out FILE.png] [--per-domain N] [--seed N]
  metadg data id-merge DATASET --model JOB_DIR [--threshold auto|COS] [--sources JSON]
                       [--max-per-identity N] [--out MERGE.json] [--json REPORT.json]
                                               labels across sources that are probably the same identity
  metadg plugins [--plugin PKG]...             list the available plugins

Options:
  --backend NAME   tensor backend: auto (default), tensorflow-gpu, tensorflow, wasm, cpu (env METADG_BACKEND)
  --debug          print stack traces
  -h, --help       this text
  -v, --version    the version`;

/** Exit codes: 0 ok, 1 failure, 2 usage error. */
export async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string', short: 'c' },
        out: { type: 'string', short: 'o' },
        workers: { type: 'string' },
        threads: { type: 'string' },
        'held-out': { type: 'string' },
        backend: { type: 'string' },
        hparams: { type: 'string' },
        'per-domain': { type: 'string' },
        seed: { type: 'string' },
        trials: { type: 'string' },
        steps: { type: 'string' },
        seeds: { type: 'string' },
        plugin: { type: 'string', multiple: true },
        model: { type: 'string' },
        threshold: { type: 'string' },
        sources: { type: 'string' },
        'max-per-identity': { type: 'string' },
        json: { type: 'string' },
        check: { type: 'boolean' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    process.stderr.write(`metadg: ${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values: opts, positionals } = parsed;
  const [command, ...args] = positionals;
  if (opts.version) {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  if (opts.help || command === undefined || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined && !opts.help ? 2 : 0;
  }
  const log = consoleLogger;
  const progress: ProgressSink = { isTTY: Boolean(process.stderr.isTTY), write: (t) => process.stderr.write(t) };
  const int = (name: string, value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) throw new ConfigError(`--${name}`, `must be a non-negative integer, got "${value}"`);
    return Number(value);
  };
  const need = (what: string, value: string | undefined): string => {
    if (value === undefined) throw new ConfigError(what, `required (see metadg --help)`);
    return value;
  };
  // --backend, then METADG_BACKEND, then the config's `backend`, then auto.
  const backend = async (configFile?: string): Promise<void> => {
    const fromConfig = configFile === undefined ? undefined : configBackend(configFile);
    const choice = opts.backend ?? (process.env['METADG_BACKEND'] ? undefined : fromConfig);
    await initBackend({ ...(choice ? { backend: choice } : {}), log: (l) => log.info(l) });
  };
  if (opts.backend) process.env['METADG_BACKEND'] = opts.backend;

  try {
    switch (command) {
      case 'job':
        return await jobCommand(need('JOB_DIR', args[0]));
      case 'demo':
      case 'compare': {
        const configFile = command === 'demo' ? demoConfigPath() : need('--config', opts.config);
        await backend(configFile);
        const workers = int('workers', opts.workers);
        const result = await compare(configFile, { ...(opts.out ? { out: opts.out } : {}), ...(workers !== undefined ? { workers } : {}), log, progress });
        process.stdout.write(`${summaryTable(result.output.summary)}\n`);
        process.stdout.write(`report: ${result.html}\nresults: ${result.json}\n`);
        for (const f of result.failed) process.stderr.write(`failed: ${describeFailure(f)}\n`);
        return result.failed.length > 0 ? 1 : 0;
      }
      case 'train': {
        await backend(need('--config', opts.config));
        const threads = int('threads', opts.threads);
        if (threads === 0) throw new ConfigError('--threads', 'must be ≥ 1');
        const { job, result } = await train(need('--config', opts.config), {
          ...(opts['held-out'] ? { heldOut: opts['held-out'] } : {}),
          ...(threads !== undefined ? { threads } : {}),
          ...(opts.out ? { out: opts.out } : {}),
          log,
          progress,
        });
        const summary = {
          dir: job.dir,
          budget: result.budget,
          steps: result.steps,
          images: result.imagesSeen,
          seconds: result.secondsSpent,
          selection: result.selection,
          evaluation: result.metrics.map((m) => ({ domain: m.domain, metrics: m.metrics })),
        };
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        return 0;
      }
      case 'eval': {
        await backend();
        const evaluation = await evaluateJob(need('JOB_DIR', args[0]), { ...(opts['held-out'] ? { heldOut: opts['held-out'] } : {}), log });
        process.stdout.write(`${JSON.stringify(evaluation.map((m) => ({ domain: m.domain, metrics: m.metrics, counts: m.counts })), null, 2)}\n`);
        return 0;
      }
      case 'sweep': {
        await backend(need('--config', opts.config));
        const workers = int('workers', opts.workers);
        const trials = int('trials', opts.trials);
        const result = await sweep(need('--config', opts.config), {
          ...(opts.out ? { out: opts.out } : {}),
          ...(workers !== undefined ? { workers } : {}),
          ...(trials !== undefined ? { trials } : {}),
          log,
          progress,
        });
        process.stdout.write(`${sweepTables(result.sweep)}\n`);
        process.stdout.write(`report: ${result.html}\nresults: ${result.json}\nsweep: ${result.sweepJson}\n`);
        for (const f of result.failed) process.stderr.write(`failed: ${describeFailure(f)}\n`);
        return result.failed.length > 0 ? 1 : 0;
      }
      case 'ablate': {
        await backend();
        const workers = int('workers', opts.workers);
        const steps = int('steps', opts.steps);
        const seeds = int('seeds', opts.seeds);
        for (const [name, v] of [['steps', steps], ['seeds', seeds]] as const) {
          if (v === 0) throw new ConfigError(`--${name}`, 'must be at least 1');
        }
        const result = await ablate(need('STUDY', args[0]), {
          config: opts.config ?? demoConfigPath(),
          ...(opts.out ? { out: opts.out } : {}),
          ...(workers !== undefined ? { workers } : {}),
          ...(steps !== undefined ? { steps } : {}),
          ...(seeds !== undefined ? { seeds } : {}),
          ...(opts['held-out'] ? { heldOut: opts['held-out'].split(',').map((d) => d.trim()).filter(Boolean) } : {}),
          log,
          progress,
        });
        process.stdout.write(`${summaryTable(result.output.summary)}\n`);
        process.stdout.write(`report: ${result.html}\nresults: ${result.json}\n`);
        for (const f of result.failed) process.stderr.write(`failed: ${describeFailure(f)}\n`);
        return result.failed.length > 0 ? 1 : 0;
      }
      case 'report': {
        const studyDir = resolve(need('STUDY_DIR', args[0]));
        if (existsSync(join(studyDir, 'sweep.json'))) {
          throw new ConfigError('STUDY_DIR', `${studyDir} is a sweep: run "metadg sweep" with its config again (finished jobs are read back, not rerun)`);
        }
        const previous = JSON.parse(readFileSync(join(studyDir, 'compare.json'), 'utf8')) as Pick<CompareOutput, 'name' | 'budget' | 'config' | 'summary'> & {
          ablation?: AblationSummary;
        };
        const jobs = inStudyOrder(listStudyJobs(studyDir), previous.summary);
        const written = writeStudyOutputs(studyDir, previous.name, previous.config ?? jobs[0]?.config ?? {}, jobs, previous.budget, previous.ablation ? ablationReportExtras(previous.ablation, jobs) : {});
        process.stdout.write(`${summaryTable(written.output.summary)}\nreport: ${written.html}\nresults: ${written.json}\n`);
        return 0;
      }
      case 'metrics':
        process.stdout.write(`${await metricsCommand(need('SCORES.json', args[0]))}\n`);
        return 0;
      case 'mfr-reference': {
        await backend();
        const { result, failures, report } = await mfrReferenceCommand(need('CASE.json', args[0]), Boolean(opts.check));
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        for (const line of report) process.stderr.write(`${line}\n`);
        return failures.length > 0 ? 1 : 0;
      }
      case 'data': {
        const [sub, spec] = args;
        if (sub !== 'stats' && sub !== 'preview' && sub !== 'id-merge') {
          throw new ConfigError('data', `expected "stats", "preview" or "id-merge", got ${JSON.stringify(sub ?? '')}`);
        }
        await backend();
        const dataset = await openDataset(builtinRegistry(), need('DATASET', spec), opts.hparams, log);
        if (sub === 'stats') process.stdout.write(`${statsCommand(dataset)}\n`);
        else if (sub === 'id-merge') {
          const maxPerIdentity = int('max-per-identity', opts['max-per-identity']);
          const seed = int('seed', opts.seed);
          const { text } = await idMergeCommand(dataset, {
            model: need('--model', opts.model),
            ...(opts.threshold ? { threshold: opts.threshold } : {}),
            ...(opts.sources ? { sources: opts.sources } : {}),
            ...(maxPerIdentity !== undefined ? { maxPerIdentity } : {}),
            ...(seed !== undefined ? { seed } : {}),
            ...(opts.out ? { out: opts.out } : {}),
            ...(opts.json ? { json: opts.json } : {}),
            log,
          });
          process.stdout.write(`${text}\n`);
        } else {
          const file = await previewCommand(dataset, opts.out ?? `${dataset.name}-preview.png`, int('per-domain', opts['per-domain']) ?? 8, int('seed', opts.seed) ?? 0);
          process.stdout.write(`preview: ${file}\n`);
        }
        return 0;
      }
      case 'plugins': {
        const registry = builtinRegistry();
        await loadPluginPackages(registry, opts.plugin ?? [], [process.cwd()]);
        process.stdout.write(`${pluginsCommand(registry)}\n`);
        return 0;
      }
      default:
        process.stderr.write(`metadg: unknown command "${command}"\n\n${USAGE}\n`);
        return 2;
    }
  } catch (err) {
    process.stderr.write(`${opts.debug && err instanceof Error ? err.stack : formatError(err)}\n`);
    return err instanceof ConfigError ? 2 : err instanceof MetaDGError || err instanceof Error ? 1 : 1;
  }
}

/** The embedded default comparison (the README's first command). */
export function demoConfigPath(): string {
  return fileURLToPath(new URL('../configs/demo-glyphs.json', import.meta.url));
}

function packageVersion(): string {
  const file = fileURLToPath(new URL('../package.json', import.meta.url));
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

function listStudyJobs(studyDir: string): JobDescription[] {
  const dir = join(studyDir, 'jobs');
  if (!existsSync(join(studyDir, 'compare.json')) || !existsSync(dir)) {
    throw new ConfigError('STUDY_DIR', `${studyDir} is not a comparison output (no compare.json / jobs/)`);
  }
  return readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, 'job.json')))
    .map((d) => JSON.parse(readFileSync(join(dir, d, 'job.json'), 'utf8')) as JobDescription)
    .sort((a, b) => a.algorithm.localeCompare(b.algorithm) || a.heldOut.localeCompare(b.heldOut) || a.seed - b.seed);
}

/** Jobs in the order of the study's previous tables (contenders, then held-out domains as first written), seeds ascending. */
function inStudyOrder(jobs: JobDescription[], previous: CompareOutput['summary'] | undefined): JobDescription[] {
  const rank = (list: readonly string[] | undefined, v: string) => {
    const i = list?.indexOf(v) ?? -1;
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return [...jobs].sort(
    (a, b) =>
      rank(previous?.algorithms, a.algorithm) - rank(previous?.algorithms, b.algorithm) ||
      rank(previous?.heldOutDomains, a.heldOut) - rank(previous?.heldOutDomains, b.heldOut) ||
      a.seed - b.seed,
  );
}

function describeFailure(f: FailedJob): string {
  const trial = f.job.trial !== undefined ? `/trial ${f.job.trial}` : '';
  return `${f.job.algorithm}${trial}/${f.job.heldOut}/seed ${f.job.seed}: ${f.error} (log: ${join(f.job.dir, 'log.txt')})`;
}

/** The selected table of a sweep and its oracle upper bound, as plain text. */
export function sweepTables(sweep: SweepOutput): string {
  const method = sweep.selection === 'training-domain' ? 'training-domain validation' : 'leave-one-domain-out validation';
  const tables = [summaryTable(sweep.selected, `selected by ${method}`)];
  if (sweep.oracle) tables.push(summaryTable(sweep.oracle, 'ORACLE: upper bound, not a valid model selection'));
  return tables.join('\n\n');
}

/** A plain-text table of the main metric: algorithms × held-out domains, mean ± std over seeds. */
export function summaryTable(summary: import('@metadg/eval').ComparisonSummary, note?: string): string {
  const metric = summary.metrics.includes('auc') ? 'auc' : summary.metrics.includes('accuracy') ? 'accuracy' : summary.metrics[0];
  if (metric === undefined) return '(no finished job)';
  const fmt = (c: { mean: number; std: number } | undefined) => (c ? `${c.mean.toFixed(3)} ± ${c.std.toFixed(3)}` : '—');
  const header = ['algorithm', ...summary.heldOutDomains, 'average'];
  const rows = summary.algorithms.map((a) => [
    a,
    ...summary.heldOutDomains.map((d) => fmt(summary.cells.find((c) => c.algorithm === a && c.heldOutDomain === d && c.metric === metric))),
    fmt(summary.averages.find((c) => c.algorithm === a && c.metric === metric)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ');
  return [`${metric} on the held-out domain (mean ± std over seeds${note ? `; ${note}` : ''})`, line(header), ...rows.map(line)].join('\n');
}

/** The `backend` a config file asks for (`auto` and unreadable files count as no preference; validation comes later). */
function configBackend(file: string): string | undefined {
  try {
    const raw = readConfigFile(file) as { backend?: unknown } | null;
    return typeof raw?.backend === 'string' && raw.backend !== 'auto' ? raw.backend : undefined;
  } catch {
    return undefined;
  }
}
