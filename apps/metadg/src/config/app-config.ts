import { componentRefSchema, lossRefSchema, runConfigSchema, z } from '@metadg/core';

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
  })
  .strict();

/** A run config as the app reads it: core's run config plus the evaluation protocol. */
export const appRunConfigSchema = runConfigSchema.extend({ protocol: protocolSchema.default({}) }).strict();

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

/** A comparison config: a base run config (its `algorithm` optional) plus the `compare` section. */
export const compareConfigSchema = appRunConfigSchema
  .extend({
    algorithm: componentRefSchema.optional(),
    compare: compareSchema,
  })
  .strict();

export type Protocol = z.output<typeof protocolSchema>;
export type AppRunConfig = z.output<typeof appRunConfigSchema>;
export type Contender = z.output<typeof contenderSchema>;
export type CompareConfig = z.output<typeof compareConfigSchema>;
