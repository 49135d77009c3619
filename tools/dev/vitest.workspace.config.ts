import { defineConfig } from 'vitest/config';
import { workspaceRoot } from './src/workspace-aliases';

/**
 * The whole suite in one vitest run: every package's, plugin's, app's and
 * tool's own project, plus the cross-package tests in test/.
 */
export default defineConfig({
  root: workspaceRoot,
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      'plugins/*/vitest.config.ts',
      'apps/*/vitest.config.ts',
      'tools/*/vitest.config.ts',
      'test/vitest.config.{ts,mts}',

    ],
    // Two cores in CI: numerical suites are CPU-bound, so more workers only thrash.
    maxWorkers: 2,
  },
});
