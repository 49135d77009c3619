// Fixture packages written to a temp folder at test time: a correct dual
// ESM/CJS package with types, and deliberately broken ones. A node_modules
// symlink to this repository's lets their bundles load tfjs like a user's
// install would.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PackageManifest, PackageUnderCheck } from '../src/types.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** A temp workspace root holding fixture packages under `packages/`. */
export function fixtureRoot(): { root: string; dispose: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'metadg-release-check-'));
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'fixtures', private: true, workspaces: ['packages/*'] }));
  return { root, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

/** Writes one package (manifest + files) to `root/packages/<folder>`. */
export function writePackage(root: string, folder: string, manifest: PackageManifest, files: Record<string, string>): PackageUnderCheck {
  const dir = join(root, 'packages', folder);
  for (const [path, text] of Object.entries({ ...files, 'package.json': JSON.stringify(manifest, null, 2) })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { dir, manifest, workspaceVersions: new Map([[manifest.name, manifest.version], ['@metadg/core', '0.1.0']]) };
}

const DUAL_EXPORTS = {
  '.': {
    import: { types: './dist/index.d.ts', default: './dist/index.js' },
    require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
  },
  './package.json': './package.json',
};

/** A package that passes every check: dual build, types per format, tfjs as a peer, a README example. */
export function goodPackage(root: string): PackageUnderCheck {
  return writePackage(
    root,
    'good',
    {
      name: '@fixture/good',
      version: '1.2.3',
      description: 'A well-formed fixture.',
      license: 'Apache-2.0',
      type: 'module',
      main: './dist/index.cjs',
      module: './dist/index.js',
      types: './dist/index.d.ts',
      exports: DUAL_EXPORTS,
      files: ['dist', 'README.md'],
      sideEffects: false,
      engines: { node: '>=20' },
      repository: { type: 'git', url: 'git+https://example.com/fixture.git' },
      peerDependencies: { '@tensorflow/tfjs-core': '^4.22.0' },
      publishConfig: { access: 'public' },
    },
    {
      'README.md': '# good\n\n```ts\nimport { double } from \'@fixture/good\';\ndouble(2);\n```\n',
      'dist/index.js': 'import * as tf from "@tensorflow/tfjs-core";\nexport const double = (x) => 2 * x;\nexport const version = tf.version_core;\n',
      'dist/index.cjs': '"use strict";\nconst tf = require("@tensorflow/tfjs-core");\nexports.double = (x) => 2 * x;\nexports.version = tf.version_core;\n',
      'dist/index.d.ts': 'export declare const double: (x: number) => number;\nexport declare const version: string;\n',
      'dist/index.d.cts': 'export declare const double: (x: number) => number;\nexport declare const version: string;\n',
      'src/index.ts': 'export const double = (x: number) => 2 * x;\n',
    },
  );
}

/**
 * Broken on purpose: no `files` whitelist (sources, tests and fixtures ship),
 * one `types` condition for both formats (CJS types masquerade as ESM), tfjs
 * as a hard dependency, an undeclared import of @metadg/core, no README, no
 * license.
 */
export function brokenPackage(root: string): PackageUnderCheck {
  return writePackage(
    root,
    'broken',
    {
      name: '@fixture/broken',
      version: '0.0.1',
      type: 'module',
      exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js', require: './dist/index.cjs' } },
      dependencies: { '@tensorflow/tfjs-core': '^4.22.0' },
    },
    {
      'dist/index.js': 'import "@tensorflow/tfjs-core";\nimport { z } from "@metadg/core";\nexport const schema = z.object({});\n',
      'dist/index.cjs': '"use strict";\nrequire("@tensorflow/tfjs-core");\nexports.schema = require("@metadg/core").z.object({});\n',
      'dist/index.d.ts': 'export declare const schema: unknown;\n',
      'src/index.ts': 'export const schema = 1;\n',
      'src/index.test.ts': 'it("x", () => {});\n',
      'test/fixtures/image.json': '{}\n',
    },
  );
}

/** Correct manifest, but `dist/` was never built. */
export function unbuiltPackage(root: string): PackageUnderCheck {
  return writePackage(
    root,
    'unbuilt',
    {
      name: '@fixture/unbuilt',
      version: '1.0.0',
      license: 'MIT',
      type: 'module',
      exports: DUAL_EXPORTS,
      files: ['dist', 'README.md'],
    },
    { 'README.md': '```js\nimport x from "@fixture/unbuilt";\n```\n' },
  );
}
