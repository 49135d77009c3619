import { componentRefSchema, lossRefSchema, runConfigSchema, z } from '@metadg/core';

/**
 * What one run may spend. `steps`: outer steps; `images`: images fed through
 * the network (an ERM step on 4 source domains × 2B images counts 8B, an MFR
 * 2 + 1 step 6B); `seconds`: wall-clock seconds of training steps (not of
 * evaluation). Training stops after the first step that reaches the value.
 * Steps and images are deterministic (a resumed run ends exactly like an
 * uninterrupted one); seconds depend on the machine and its load.
 */
export const budgetSchema = z
  .object({
    kind: z.enum(['steps', 'images', 'seconds']),
    value: z.number().finite().positive('must be > 0'),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.kind !== 'seconds' && !Number.isInteger(b.value)) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `must be a whole number of ${b.kind}, got ${b.value}` });
    }
  });

/**
 * Model selection within a run (DomainBed's training-domain validation): a
 * `valFraction` of identities (open-set) — or of each identity's samples
 * (closed-set) — is held back from training; the checkpoint with the best
 * validation metric on the source domains is the reported model.
 */
export const selectionSchema = z
  .object({
    /** `training-domain`: the best checkpoint on the validation split; `last`: the final checkpoint (no selection). */
    method: z.enum(['training-domain', 'last']).default('training-domain'),
    /** Fraction of identities (open-set) or of every identity's samples (closed-set) kept for validation. */
    valFraction: z.number().gt(0, 'must be in (0, 1)').lt(1, 'must be in (0, 1)').default(0.1),
    /** Validation same-identity pairs per source domain (as many different-identity pairs); capped by what exists. */
    pairs: z.number().int().positive().default(100),
    /** Validation samples classified per source domain (closed-set); capped by what exists. */
    samples: z.number().int().positive().default(200),
    /** Evaluate every K outer steps; 0: at `points` evenly spaced fractions of the budget. The last step is always evaluated. */
    every: z.number().int().nonnegative().default(0),
    /** Evaluation points over the budget when `every` is 0. */
    points: z.number().int().positive().default(8),
  })
  .strict();

/**
 * The held-out-domain diagnostic: at every evaluation point, the test domain
 * is scored on a small pair set too. It draws the convergence curves and the
 * test-domain oracle — an upper bound that looked at the test domain, never
 * a valid model selection.
 */
export const convergenceSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Same-identity pairs of the held-out domain per point (as many different-identity pairs); capped by what exists. */
    pairs: z.number().int().positive().default(200),
    /** Held-out samples classified per point (closed-set). */
    samples: z.number().int().positive().default(300),
  })
  .strict();

/** How a trained run is evaluated on its held-out domain(s). */
export const protocolSchema = z
  .object({
    /**
     * Open-set protocol: this fraction of identities (in every domain) is never
     * trained on and is used for verification on the held-out domain. Omit for
     * closed-set datasets (all identities shared, e.g. Rotated MNIST digits).
     */
    testIdentities: z.number().gt(0, 'must be in (0, 1)').lt(1, 'must be in (0, 1)').optional(),
    /** Seed of the identity split (fixed across run seeds so every run tests on the same identities). */
    splitSeed: z.number().int().nonnegative().default(0),
    /** `verification` (ROC, AUC, TPR@FPR, 10-fold accuracy, rank-1), `classification` (accuracy), or `auto`. */
    metric: z.enum(['auto', 'verification', 'classification']).default('auto'),
    /** Same-identity pairs for verification (as many different-identity pairs are drawn); capped by what exists. */
    pairs: z.number().int().positive().default(3000),
    /** Held-out samples classified (closed-set), drawn per seed; capped by what exists. */
    samples: z.number().int().positive().default(2000),
    /** Images per forward pass while embedding. */
    batchSize: z.number().int().positive().default(128),
    selection: selectionSchema.default({}),
    convergence: convergenceSchema.default({}),
  })
  .strict();

/**
 * A run config as the app reads it: core's run config plus the evaluation
 * protocol, an optional budget (default: `train.steps` outer steps; when
 * given, it replaces `train.steps`) and the threads per job.
 */
export const appRunConfigSchema = runConfigSchema
  .extend({
    protocol: protocolSchema.default({}),
    budget: budgetSchema.optional(),
    /**
     * Threads per job: n > 1 splits every batch's backbone work over this
     * thread and n − 1 worker threads (@metadg/parallel; exact gradients,
     * rounding aside). Pays for large per-batch work (the reference network:
     * 1.75×), costs for small networks; `compare.workers` × threads should
     * not exceed the cores.
     */
    threads: z.number().int().min(1, 'must be ≥ 1').max(64).default(1),
  })
  .strict();

/** One contender of a comparison: an algorithm, and optionally its own sampler and losses. */
export const contenderSchema = z
  .object({
    /** Name in tables; default: the algorithm's plugin name. */
    label: z.string().min(1).optional(),
    algorithm: componentRefSchema,
    sampler: componentRefSchema.optional(),
    losses: z.array(lossRefSchema).min(1).optional(),
  })
  .strict();

/** The comparison protocol (DomainBed style): algorithms × held-out domains × seeds, identical data per seed. */
export const compareSchema = z
  .object({
    algorithms: z.array(contenderSchema).min(1, 'name at least one algorithm'),
    /** `all`: leave-one-domain-out over every domain; or the domains to hold out, one per job. */
    heldOut: z.union([z.literal('all'), z.array(z.string().min(1)).min(1)]).default('all'),
    /** Seeds per (algorithm, held-out domain): a count (0 … n−1) or an explicit list. */
    seeds: z.union([z.number().int().positive(), z.array(z.number().int().nonnegative()).min(1)]).default(2),
    /** Parallel worker processes (0: run jobs in this process). */
    workers: z.number().int().nonnegative().default(2),
    checkpointEvery: z.number().int().nonnegative().default(25),
  })
  .strict();

/** Components whose unpinned hyper-parameters a sweep draws. */
export const sweptComponentSchema = z.enum(['algorithm', 'sampler', 'losses', 'backbone']);

/**
 * A random hyper-parameter search (DomainBed): `trials` per contender ×
 * held-out domain × seed. Trial 0 keeps the configured values; trial t ≥ 1
 * draws every hyper-parameter the config does not set from its plugin's
 * `hparamSpace`, seeded by (contender, dataset, t).
 */
export const sweepSchema = z
  .object({
    trials: z.number().int().positive().default(4),
    /** How the collector picks a trial per (contender, held-out domain, seed). */
    selection: z.enum(['training-domain', 'leave-one-domain-out']).default('training-domain'),
    components: z.array(sweptComponentSchema).min(1).default(['algorithm', 'sampler', 'losses']),
  })
  .strict();

/** A comparison config: a base run config (its `algorithm` optional) plus the `compare` (and optionally `sweep`) section. */
export const compareConfigSchema = appRunConfigSchema
  .extend({
    algorithm: componentRefSchema.optional(),
    compare: compareSchema,
    sweep: sweepSchema.optional(),
  })
  .strict();

/** A validated budget. */
export type Budget = z.output<typeof budgetSchema>;
/** The unit of a budget. */
export type BudgetKind = Budget['kind'];
/** Validated `protocol.selection`. */
export type Selection = z.output<typeof selectionSchema>;
/** Validated `protocol.convergence`. */
export type Convergence = z.output<typeof convergenceSchema>;
/** Validated `protocol`. */
export type Protocol = z.output<typeof protocolSchema>;
/** A validated app run config. */
export type AppRunConfig = z.output<typeof appRunConfigSchema>;
/** One validated contender of a comparison. */
export type Contender = z.output<typeof contenderSchema>;
/** A validated comparison config. */
export type CompareConfig = z.output<typeof compareConfigSchema>;
/** Validated `sweep` settings. */
export type SweepSettings = z.output<typeof sweepSchema>;
/** A component a sweep may draw hyper-parameters for. */
export type SweptComponent = z.output<typeof sweptComponentSchema>;
