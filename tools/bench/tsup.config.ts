import { defineConfig } from 'tsup';
import { packageBuild } from '../dev/src/tsup-preset';

// The workspace packages are bundled from their sources (tsconfig paths), so
// `npm run bench` measures the working tree without rebuilding every package;
// tfjs stays external: one tfjs instance, the one the packages declare.
export default defineConfig(
  packageBuild({
    // worker.js: the shard worker thread of the --parallel experiment.
    entry: { index: 'src/index.ts', worker: 'src/parallel/worker.ts' },
    format: ['esm'],
    dts: false,
    noExternal: [/^@metadg\//],
    // Every other bare import (tfjs, zod, …) resolves from node_modules at run time.
    external: [/^@(?!metadg\/)/, /^[a-z]/],
  }),
);
