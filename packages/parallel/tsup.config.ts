import { defineConfig } from 'tsup';
import { packageBuild } from '../../tools/dev/src/tsup-preset';

// worker.js: the entry of a shard worker thread, loaded by path at run time.
export default defineConfig(packageBuild({ entry: ['src/index.ts', 'src/worker.ts'] }));
