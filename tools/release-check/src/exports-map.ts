/**
 * Resolution of a package.json `exports` map the way Node.js and TypeScript
 * walk it: object keys in order, the first key that is `default` or one of the
 * active conditions wins, and a branch that resolves to nothing falls through
 * to the next key.
 */

/** The lookups a dual ESM/CJS package with types must answer. */
export const LOOKUPS = {
  import: ['node', 'import'],
  require: ['node', 'require'],
  'types (import)': ['types', 'node', 'import'],
  'types (require)': ['types', 'node', 'require'],
} as const satisfies Record<string, readonly string[]>;

/** One of the keys of {@link LOOKUPS}. */
export type Lookup = keyof typeof LOOKUPS;

/** Resolves one exports target (string, condition object or fallback array) under `conditions`. */
export function resolveTarget(node: unknown, conditions: readonly string[]): string | undefined {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = resolveTarget(item, conditions);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (node === null || typeof node !== 'object') return undefined;
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'default' && !conditions.includes(key)) continue;
    const found = resolveTarget(value, conditions);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The subpath entries of an `exports` field (`"."`, `"./utils"`, …). A string
 * or a condition object at the top level is the `"."` entry.
 */
export function exportEntries(exportsField: unknown): Map<string, unknown> {
  const entries = new Map<string, unknown>();
  if (exportsField === undefined || exportsField === null) return entries;
  if (typeof exportsField === 'string' || Array.isArray(exportsField)) {
    entries.set('.', exportsField);
    return entries;
  }
  if (typeof exportsField !== 'object') return entries;
  const keys = Object.keys(exportsField);
  if (keys.length > 0 && keys.every((k) => !k.startsWith('.'))) {
    entries.set('.', exportsField);
    return entries;
  }
  for (const [k, v] of Object.entries(exportsField)) entries.set(k, v);
  return entries;
}

/**
 * Where TypeScript finds the declarations for a resolved JS file when no
 * `types` condition applied: the sibling `.d.ts` / `.d.cts` / `.d.mts`.
 */
export function declarationFor(target: string): string {
  if (/\.d\.[cm]?ts$/.test(target)) return target;
  if (target.endsWith('.cjs')) return target.replace(/\.cjs$/, '.d.cts');
  if (target.endsWith('.mjs')) return target.replace(/\.mjs$/, '.d.mts');
  return target.replace(/\.js$/, '.d.ts');
}

/** Strips a leading `./` so targets compare with tarball paths. */
export function packagePath(target: string): string {
  return target.replace(/^\.\//, '');
}
