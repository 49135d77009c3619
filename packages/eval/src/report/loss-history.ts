/**
 * Training losses of one run: the step of each record and, per loss part
 * (`total`, `hardPair`, `softCls`, …), its value at those steps.
 */
export interface LossHistory {
  readonly steps: ArrayLike<number>;
  /** One array per part, each as long as `steps`; non-finite values leave gaps. */
  readonly parts: Readonly<Record<string, ArrayLike<number>>>;
}

/** One training-step record as trainers log it: the total loss and optionally its parts. */
export interface StepLossRecord {
  readonly step: number;
  readonly loss: number;
  readonly parts?: Readonly<Record<string, number>>;
}

/**
 * Converts per-step records (`[{ step, loss, parts }]`, the shape training
 * jobs keep) into a {@link LossHistory}: the total loss as part `total`, each
 * named part as its own series; a part missing at some step is `NaN` there,
 * which charts draw as a gap.
 */
export function lossHistoryFromSteps(records: readonly StepLossRecord[]): LossHistory {
  const names = [...new Set(records.flatMap((r) => Object.keys(r.parts ?? {})))].filter((n) => n !== 'total');
  const parts: Record<string, number[]> = { total: records.map((r) => r.loss) };
  for (const name of names) parts[name] = records.map((r) => r.parts?.[name] ?? Number.NaN);
  return { steps: records.map((r) => r.step), parts };
}
