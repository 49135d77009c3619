/**
 * @metadg/cli — the `metadg` command and its building blocks: durable jobs
 * (hash-keyed directories, atomic checkpoints, resume), budgets (steps,
 * images, seconds), model selection on validation data, the
 * leave-one-domain-out comparison protocol, hyper-parameter sweeps, the MFR
 * ablation studies, evaluation on held-out domains and reports.
 *
 * @packageDocumentation
 */
export { main, summaryTable, sweepTables, demoConfigPath } from './main.js';
export { builtinRegistry, BUILTIN_PACKAGES } from './builtin-plugins.js';
export {
  appRunConfigSchema,
  budgetSchema,
  compareConfigSchema,
  compareSchema,
  contenderSchema,
  convergenceSchema,
  protocolSchema,
  selectionSchema,
  sweepSchema,
  type AppRunConfig,
  type Budget,
  type BudgetKind,
  type CompareConfig,
  type Contender,
  type Convergence,
  type Protocol,
  type Selection,
  type SweepSettings,
  type SweptComponent,
} from './config/app-config.js';
export {
  budgetFraction,
  budgetReached,
  describeBudget,
  estimateTotalSteps,
  isEvaluationPoint,
  resolveBudget,
  spentIn,
  stepsForImages,
  type Spent,
} from './budget/budget.js';
export { imagesPerStep } from './budget/images-per-step.js';
export { studyBudget, type BudgetConversion, type StudyBudget } from './budget/study-budget.js';
export { compare, loadCompareConfig, prepareStudy, type CompareOptions, type CompareResult, type PreparedStudy } from './commands/compare.js';
export { sweep, sweepSettings, type SweepOptions, type SweepResult } from './commands/sweep.js';
export { ablate, type AblateOptions, type AblateResult } from './commands/ablate.js';
export { train, loadAppRunConfig, type TrainOptions } from './commands/train.js';
export { evaluateJob } from './commands/evaluate.js';
export {
  evaluateRun,
  heldOutScore,
  identitySplit,
  mainMetricKey,
  protocolMetric,
  trainingView,
  validationScore,
  type DomainEvaluation,
} from './evaluation/evaluate-run.js';
export { holdOutSamples, type SampleHoldout } from './evaluation/sample-holdout.js';
export { CheckpointError, readCheckpoint, writeCheckpoint, type CheckpointState, type StoredTensor } from './jobs/checkpoint.js';
export { canonicalJson, jobKey } from './jobs/job-key.js';
export { trainWithinBudget, type BudgetLoopOptions } from './jobs/budget-loop.js';
export {
  BEST,
  ORACLE,
  isJobDone,
  readJobResult,
  runJob,
  type BestPoint,
  type EvaluationPoint,
  type JobMonitor,
  type JobResult,
  type JobSpec,
  type SelectionRecord,
  type StepRecord,
} from './jobs/job-runner.js';
export { planJobs, jobConfig, type JobDescription } from './study/job-plan.js';
export { collectRuns, writeStudyOutputs, type CompareOutput, type JobSummary } from './study/collect.js';
export { monitorFor } from './study/execute-job.js';
export { drawComponent, drawTrial, trialRng } from './sweep/draw-hparams.js';
export { planSweep, type SweepPlan } from './sweep/plan-sweep.js';
export { collectSweep, selectTrials, type SweepOutput, type TrialChoice, type TrialRecord } from './sweep/collect-sweep.js';
export {
  ABLATION_STUDIES,
  ALPHAS,
  GAMMAS,
  ablationConfig,
  ablationSpec,
  isAblationStudy,
  type AblationOverrides,
  type AblationSpec,
  type AblationStudy,
  type AblationVariant,
} from './ablation/studies.js';
export { ablationReportExtras, ablationSection, summariseSpec, type AblationSummary } from './ablation/report.js';
export { Progress, formatDuration, type ProgressSink } from './ui/progress.js';
