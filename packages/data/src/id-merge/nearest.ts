/**
 * Running best and runner-up of a label's similarities to the labels of one
 * other source. The runner-up is the best label whose identity key differs
 * from the best's: two labels with one key are the same person (the
 * `DomainDataset` contract), so they are not competitors.
 */
export class NearestTwo {
  best = -1;
  bestSimilarity = -Infinity;
  runnerUpSimilarity = -Infinity;
  private bestKey = '';

  /** Considers label `index` (identity `key`) at similarity `s`; ties keep the earlier label. */
  offer(index: number, key: string, s: number): void {
    if (this.best >= 0 && key === this.bestKey) {
      if (s > this.bestSimilarity) {
        this.best = index;
        this.bestSimilarity = s;
      }
    } else if (s > this.bestSimilarity) {
      // The old best is the largest similarity of any other key, hence the new runner-up.
      this.runnerUpSimilarity = this.bestSimilarity;
      this.best = index;
      this.bestSimilarity = s;
      this.bestKey = key;
    } else if (s > this.runnerUpSimilarity) {
      this.runnerUpSimilarity = s;
    }
  }
}
