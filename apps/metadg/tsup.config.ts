import { defineConfig } from 'tsup';
import { packageBuild } from '../../tools/dev/src/tsup-preset';

// shard-backbone.js: the factory a shard worker thread imports (threads > 1).
export default defineConfig(packageBuild({ entry: { index: 'src/index.ts', cli: 'src/cli.ts', 'shard-backbone': 'src/parallel/shard-backbone.ts' } }));
