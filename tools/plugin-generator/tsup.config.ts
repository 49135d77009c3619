import { defineConfig } from 'tsup';
import { packageBuild } from '../dev/src/tsup-preset';

export default defineConfig(packageBuild());
