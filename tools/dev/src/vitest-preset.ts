import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineProject, type UserWorkspaceConfig } from 'vitest/config';
import { workspaceAliases } from './workspace-aliases.js';

/**
 * Vitest project settings shared by every package: source aliases for the
 * workspace packages, co-located `*.test.ts` files, and a generous timeout for
 * numerical tests on 2-core CI machines.
 */
export function packageTest(configUrl: string, extra: UserWorkspaceConfig['test'] = {}) {
  const dir = dirname(fileURLToPath(configUrl));
  return defineProject({
    root: dir,
    resolve: { alias: workspaceAliases() },
    test: {
      name: `${basename(dirname(dir))}/${basename(dir)}`,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 60_000,
      hookTimeout: 60_000,
      ...extra,
    },
  });
}
