import { packageTest } from '../../tools/dev/src/vitest-preset';

export default packageTest(import.meta.url);
