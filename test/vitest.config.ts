import { defineProject } from 'vitest/config';

// Cross-package tests run against the *built* packages (dist/), as users get
// them: no source aliases here, so `@metadg/*` resolves through node_modules.
export default defineProject({
  test: {
    name: 'test',
    root: import.meta.dirname,
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', 'plugins/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
