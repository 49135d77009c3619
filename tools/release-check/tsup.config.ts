import { defineConfig } from 'tsup';
import { packageBuild } from '../dev/src/tsup-preset';

// A private command-line tool: one ESM bundle per entry; declarations for the library entry.
export default defineConfig(packageBuild({ entry: ['src/index.ts', 'src/cli.ts'], format: ['esm'], dts: { entry: 'src/index.ts' } }));
