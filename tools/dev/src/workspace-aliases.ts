import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (this file lives in tools/dev/src). */
export const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

interface TsconfigPaths {
  compilerOptions?: { paths?: Record<string, string[]> };
}

/**
 * Maps every `@metadg/*` path alias of tsconfig.base.json to its source file, so
 * unit tests run against sources without a build. Tests of the built bundles
 * (test/built) use a project that deliberately does not install these aliases.
 */
export function workspaceAliases(): Record<string, string> {
  const tsconfig = JSON.parse(
    readFileSync(resolve(workspaceRoot, 'tsconfig.base.json'), 'utf8'),
  ) as TsconfigPaths;
  const aliases: Record<string, string> = {};
  // Longest first: '@metadg/meta/testing' must win over its prefix '@metadg/meta'.
  const entries = Object.entries(tsconfig.compilerOptions?.paths ?? {}).sort(([a], [b]) => b.length - a.length);
  for (const [name, targets] of entries) {
    const first = targets[0];
    if (first !== undefined) aliases[name] = resolve(workspaceRoot, first);
  }
  return aliases;
}
