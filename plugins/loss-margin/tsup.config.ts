import { defineConfig } from 'tsup';
import { packageBuild } from '../../tools/dev/src/tsup-preset';

export default defineConfig(packageBuild());
