import { EvaluationError } from '../errors.js';
import { integerLabels, sameLength } from '../internal/validate.js';
import { checkMatrix, type MatrixLike } from '../matrix.js';

/** Closed-set classification result on a held-out domain. */
export interface ClassificationResult {
  /** Fraction of samples whose argmax logit is the true class. */
  readonly accuracy: number;
  /** Number of correctly classified samples. */
  readonly correct: number;
  /** Number of samples. */
  readonly total: number;
  /** `confusion[t][p]`: samples of true class `t` predicted as `p` (numClasses × numClasses). */
  readonly confusion: number[][];
}

/**
 * Classification accuracy and confusion matrix from logits (one row per
 * sample, one column per class) and integer labels. The prediction is the
 * argmax of each row; exact ties go to the lowest class index (as
 * `tf.argMax` / `np.argmax`).
 *
 * @throws EvaluationError on non-finite logits, no samples or classes, a
 *   length mismatch, or a label outside [0, number of columns).
 */
export function classificationAccuracy(input: { readonly logits: MatrixLike; readonly labels: ArrayLike<number> }): ClassificationResult {
  const logits = checkMatrix(input.logits, 'logits');
  const labels = integerLabels(input.labels, 'labels');
  sameLength('labels', labels.length, 'logits rows', logits.rows);
  if (logits.rows === 0) throw new EvaluationError('EVAL_INPUT_INVALID', 'logits', 'no samples');
  const classes = logits.cols;
  if (classes === 0) throw new EvaluationError('EVAL_INPUT_INVALID', 'logits', 'no classes (0 columns)');
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  let correct = 0;
  for (let r = 0; r < logits.rows; r++) {
    const truth = labels[r] as number;
    if (truth >= classes) {
      throw new EvaluationError('EVAL_INPUT_INVALID', `labels[${r}]`, `class ${truth} is out of range for ${classes} logit columns`);
    }
    let predicted = 0;
    for (let c = 1; c < classes; c++) {
      if ((logits.data[r * classes + c] as number) > (logits.data[r * classes + predicted] as number)) predicted = c;
    }
    const row = confusion[truth] as number[];
    row[predicted] = (row[predicted] as number) + 1;
    if (predicted === truth) correct++;
  }
  return { accuracy: correct / logits.rows, correct, total: logits.rows, confusion };
}
