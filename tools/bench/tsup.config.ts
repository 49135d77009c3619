import { defineConfig } from 'tsup';
import { packageBuild } from '../dev/src/tsup-preset';

// The workspace packages are bundled from their sources (tsconfig paths), so
// `npm run bench` measures the working tree without rebuilding every package;
// tfjs stays external: one tfjs instance, the one the packages declare.
export default defineConfig(
  packageBuild({
    // shard-worker.js and bench-backbone.js: what a shard worker thread runs
    // and imports when a case runs with the backbone sharded over threads.
    entry: {
      index: 'src/index.ts',
      'shard-worker': '../../packages/parallel/src/worker.ts',
      'bench-backbone': 'src/bench-backbone.ts',
    },
    format: ['esm'],
    dts: false,
    noExternal: [/^@metadg\//],
    // Every other bare import (tfjs, zod, …) resolves from node_modules at run time.
    external: [/^@(?!metadg\/)/, /^[a-z]/],
  }),
);
