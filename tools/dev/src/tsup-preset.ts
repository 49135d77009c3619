import type { Options } from 'tsup';

/**
 * The one build recipe every MetaDG package uses: ESM + CJS + .d.ts from
 * `src/index.ts` (plus any extra entries), dependencies and peers left external
 * so that the host application supplies a single tfjs instance.
 */
export function packageBuild(extra: Partial<Options> = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    treeshake: false,
    // import.meta.url in the CJS build (createRequire, asset paths).
    shims: true,
    ...extra,
  };
}
