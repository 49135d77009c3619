/**
 * @metadg/cli — the `metadg` command and its building blocks: durable jobs
 * (hash-keyed directories, atomic checkpoints, resume), the leave-one-domain-out
 * comparison protocol, evaluation on held-out domains and reports.
 *
 * @packageDocumentation
 */
export { main, summaryTable, demoConfigPath } from './main.js';
export { builtinRegistry, BUILTIN_PACKAGES } from './builtin-plugins.js';
export {
  appRunConfigSchema,
  compareConfigSchema,
  compareSchema,
  contenderSchema,
  protocolSchema,
  type AppRunConfig,
  type CompareConfig,
  type Contender,
  type Protocol,
} from './config/app-config.js';
export { compare, loadCompareConfig, type CompareOptions, type CompareResult } from './commands/compare.js';
export { train, loadAppRunConfig, type TrainOptions } from './commands/train.js';
export { evaluateJob } from './commands/evaluate.js';
export { evaluateRun, trainingView, type DomainEvaluation } from './evaluation/evaluate-run.js';
export { CheckpointError, readCheckpoint, writeCheckpoint, type CheckpointState, type StoredTensor } from './jobs/checkpoint.js';
export { canonicalJson, jobKey } from './jobs/job-key.js';
export { isJobDone, readJobResult, runJob, type JobResult, type JobSpec, type StepRecord } from './jobs/job-runner.js';
export { planJobs, type JobDescription } from './study/job-plan.js';
export { Progress, formatDuration, type ProgressSink } from './ui/progress.js';
