import { z } from 'zod';

/** A component chosen by plugin name, with raw hyper-parameters (validated by the plugin). */
export const componentRefSchema = z
  .object({
    name: z.string().min(1, 'must name a plugin'),
    hparams: z.record(z.unknown()).default({}),
  })
  .strict();

/** A loss term: a component plus its weight λ in the objective. */
export const lossRefSchema = componentRefSchema
  .extend({ weight: z.number().finite().nonnegative().default(1) })
  .strict();

/** Names a tensor backend; `auto` picks the fastest that loads. */
export const backendNameSchema = z.enum(['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);

/** Schema of a run configuration file (JSON or YAML). */
export const runConfigSchema = z
  .object({
    /** Human-readable run name, used in output paths and reports. */
    name: z.string().min(1).default('run'),
    /** Seed of every random stream in the run. */
    seed: z.number().int().nonnegative().default(0),
    backend: backendNameSchema.default('auto'),
    /** Plugin packages to load (npm package names or paths relative to the config file). */
    plugins: z.array(z.string().min(1)).default([]),
    dataset: componentRefSchema,
    split: z
      .object({
        /** Domains never used in training (leave-one-domain-out target). */
        heldOut: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .default({}),
    backbone: componentRefSchema,
    losses: z.array(lossRefSchema).min(1, 'at least one loss is required'),
    sampler: componentRefSchema,
    algorithm: componentRefSchema,
    train: z
      .object({
        steps: z.number().int().positive(),
        logEvery: z.number().int().positive().default(10),
        checkpointEvery: z.number().int().nonnegative().default(0),
      })
      .strict()
      .default({ steps: 100 }),
    output: z.string().min(1).default('runs'),
  })
  .strict();

/** A validated run configuration with defaults filled in. */
export type RunConfig = z.output<typeof runConfigSchema>;
/** What a user may write (defaults optional). */
export type RunConfigInput = z.input<typeof runConfigSchema>;
export type ComponentRef = z.output<typeof componentRefSchema>;
export type LossRef = z.output<typeof lossRefSchema>;
export type BackendName = z.output<typeof backendNameSchema>;
