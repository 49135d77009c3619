import { packageTest } from '../dev/src/vitest-preset';

// Checks spawn npm pack, attw and node per fixture package: seconds each.
export default packageTest(import.meta.url, { testTimeout: 120_000, hookTimeout: 120_000 });
