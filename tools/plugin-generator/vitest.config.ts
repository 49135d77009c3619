import { packageTest } from '../dev/src/vitest-preset';

// Generated packages are built and tested in child processes (tsup, tsc,
// vitest): minutes of CPU on a loaded 2-core machine, hence the long timeout.
export default packageTest(import.meta.url, { testTimeout: 300_000, hookTimeout: 300_000 });
