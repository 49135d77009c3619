import { ConfigError, z } from '@metadg/core';

const num = z.number({ invalid_type_error: 'expected a number' }).finite('must be a finite number');
const vector = z.array(num, { invalid_type_error: 'expected an array of numbers' }).min(1, 'must not be empty');
const matrix = z
  .array(vector, { invalid_type_error: 'expected an array of rows' })
  .min(1, 'must not be empty')
  .refine((rows) => rows.every((r) => r.length === rows[0]?.length), 'rows must all have the same length');
const tensorValue = z.union([vector, matrix], { errorMap: () => ({ message: 'expected a vector or a matrix of numbers' }) });

/** Names of the reference model's parameters, as the case files key them. */
export const REFERENCE_PARAM_NAMES = ['W1', 'b1', 'W2', 'b2', 'W'] as const;
/** One reference parameter name. */
export type ReferenceParamName = (typeof REFERENCE_PARAM_NAMES)[number];

const paramValues = z
  .object({ W1: tensorValue, b1: tensorValue, W2: tensorValue, b2: tensorValue, W: tensorValue })
  .strict();

/** What a reference case expects (and what `computeReferenceCase` returns). */
const expectedSchema = z
  .object({
    metaTrain: z.object({ hardPair: num, softCls: num, domainAlign: num, total: num }).strict(),
    metaTest: z.object({ hardPair: num, softCls: num, total: num }).strict(),
    gradMetaTrain: paramValues,
    metaGradSecondOrder: paramValues,
    metaGradFirstOrder: paramValues,
  })
  .strict();

const caseSchema = z
  .object({
    description: z.string().optional(),
    seed: z.number().optional(),
    hyper: z
      .object({
        tau: num.min(-1, 'must be a cosine in [-1, 1]').max(1, 'must be a cosine in [-1, 1]'),
        scale: num.positive('must be > 0'),
        alpha: num.min(0, 'must be ≥ 0'),
        gamma: num.min(0, 'must be in [0, 1]').max(1, 'must be in [0, 1]'),
      })
      .strict(),
    params: z.object({ W1: matrix, b1: vector, W2: matrix, b2: vector, W: matrix }).strict(),
    domains: z
      .array(
        z
          .object({
            xg: matrix,
            xp: matrix,
            y: z.array(z.number().int('must be integer class indices')).min(1, 'must not be empty'),
          })
          .strict(),
      )
      .min(2, 'needs at least 2 domains (meta-train domains, then the meta-test domain last)'),
    expected: expectedSchema.optional(),
  })
  .strict();

/** A reference case file: model, batch, hyper-parameters and (optionally) expected values. */
export type ReferenceCase = z.output<typeof caseSchema>;
/** The quantities of a reference case, in the shape of its `expected` key. */
export type ReferenceResult = z.output<typeof expectedSchema>;
/** Values of every reference parameter (vectors or matrices as nested arrays). */
export type ReferenceParamValues = z.output<typeof paramValues>;

/**
 * Validates a parsed reference case (JSON), including the consistency of its
 * shapes. Throws one `ConfigError` naming the first key at fault (dotted
 * path, e.g. `domains[1].xp`) and, when given, the file.
 */
export function parseReferenceCase(raw: unknown, file?: string): ReferenceCase {
  const result = caseSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = (issue?.path ?? []).map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
    const message =
      issue?.code === 'invalid_type' && issue.received === 'undefined'
        ? 'required'
        : issue?.code === 'unrecognized_keys'
          ? `unknown key(s) ${issue.keys.join(', ')}`
          : (issue?.message ?? 'invalid');
    throw new ConfigError(path, message, file);
  }
  checkShapes(result.data, file);
  return result.data;
}

function checkShapes(c: ReferenceCase, file: string | undefined): void {
  const fail = (field: string, problem: string): never => {
    throw new ConfigError(field, problem, file);
  };
  const { W1, b1, W2, b2, W } = c.params;
  const inputs = W1.length;
  const hidden = W1[0]?.length ?? 0;
  const d = W2[0]?.length ?? 0;
  const classes = W.length;
  if (b1.length !== hidden) fail('params.b1', `expected length ${hidden} (columns of W1), got ${b1.length}`);
  if (W2.length !== hidden) fail('params.W2', `expected ${hidden} rows (columns of W1), got ${W2.length}`);
  if (b2.length !== d) fail('params.b2', `expected length ${d} (columns of W2), got ${b2.length}`);
  if ((W[0]?.length ?? 0) !== d) fail('params.W', `expected ${d} columns (the embedding width), got ${W[0]?.length}`);
  c.domains.forEach((dom, i) => {
    const b = dom.y.length;
    for (const key of ['xg', 'xp'] as const) {
      const x = dom[key];
      if (x.length !== b) fail(`domains[${i}].${key}`, `expected ${b} rows (one per label in y), got ${x.length}`);
      if ((x[0]?.length ?? 0) !== inputs) fail(`domains[${i}].${key}`, `expected ${inputs} columns (rows of W1), got ${x[0]?.length}`);
    }
    const bad = dom.y.find((y) => y < 0 || y >= classes);
    if (bad !== undefined) fail(`domains[${i}].y`, `class index ${bad} is outside [0, ${classes}) (rows of params.W)`);
  });
}
