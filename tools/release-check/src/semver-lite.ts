/**
 * Just enough semver to check that a dependency range admits a workspace
 * version: exact versions, `^`, `~`, `>=`, `*`, `x` ranges and `||` unions —
 * the forms MetaDG's manifests use. Anything else is reported as unknown
 * rather than guessed.
 */
type Triple = readonly [number, number, number];

function parse(version: string): Triple | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function compare(a: Triple, b: Triple): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

function satisfiesOne(v: Triple, range: string): boolean | undefined {
  const r = range.trim();
  if (r === '*' || r === '' || r === 'x' || r === 'latest') return true;
  const xRange = /^(\d+)(?:\.(\d+|x|\*))?(?:\.(x|\*))?$/.exec(r);
  if (xRange && !parse(r)) {
    if (Number(xRange[1]) !== v[0]) return false;
    return xRange[2] === undefined || xRange[2] === 'x' || xRange[2] === '*' || Number(xRange[2]) === v[1];
  }
  const op = /^(\^|~|>=|=)?\s*(.+)$/.exec(r);
  const base = op ? parse(op[2] ?? '') : undefined;
  if (!op || !base) return undefined;
  const cmp = compare(v, base);
  switch (op[1]) {
    case undefined:
    case '=':
      return cmp === 0;
    case '>=':
      return cmp >= 0;
    case '~':
      return cmp >= 0 && v[0] === base[0] && v[1] === base[1];
    case '^':
      if (cmp < 0) return false;
      if (base[0] > 0) return v[0] === base[0];
      if (base[1] > 0) return v[0] === 0 && v[1] === base[1];
      return v[0] === 0 && v[1] === 0 && v[2] === base[2];
    default:
      return undefined;
  }
}

/** Whether `version` satisfies `range`; `undefined` when the range form is not understood. */
export function satisfies(version: string, range: string): boolean | undefined {
  const v = parse(version);
  if (!v) return undefined;
  let unknown = false;
  for (const part of range.split('||')) {
    const ok = satisfiesOne(v, part);
    if (ok === true) return true;
    if (ok === undefined) unknown = true;
  }
  return unknown ? undefined : false;
}
