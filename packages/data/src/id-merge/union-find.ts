/** Disjoint sets over string keys (path halving + union by size). */
export class UnionFind {
  private readonly parent = new Map<string, string>();
  private readonly size = new Map<string, number>();

  /** The representative of `key`'s set (adds `key` as a singleton if new). */
  find(key: string): string {
    if (!this.parent.has(key)) {
      this.parent.set(key, key);
      this.size.set(key, 1);
      return key;
    }
    let x = key;
    for (;;) {
      const p = this.parent.get(x) as string;
      if (p === x) return x;
      const grand = this.parent.get(p) as string;
      this.parent.set(x, grand);
      x = grand;
    }
  }

  /** Joins the sets of `a` and `b`. */
  union(a: string, b: string): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if ((this.size.get(ra) as number) < (this.size.get(rb) as number)) [ra, rb] = [rb, ra];
    this.parent.set(rb, ra);
    this.size.set(ra, (this.size.get(ra) as number) + (this.size.get(rb) as number));
  }

  /** Every set with more than one member, as member lists (insertion order). */
  groups(): string[][] {
    const byRoot = new Map<string, string[]>();
    for (const key of this.parent.keys()) {
      const root = this.find(key);
      const group = byRoot.get(root);
      if (group) group.push(key);
      else byRoot.set(root, [key]);
    }
    return [...byRoot.values()].filter((g) => g.length > 1);
  }
}
