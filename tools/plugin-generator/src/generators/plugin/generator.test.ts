import { readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { generatorRoot, repoRoot } from '../../../test/temp-workspace.js';
import { PluginGeneratorError } from './errors.js';
import { pluginGenerator } from './generator.js';
import { KIND_INFO } from './kinds.js';
import { PLUGIN_KINDS, type PluginGeneratorSchema } from './schema.js';
import { TOOLCHAIN_VERSIONS } from './versions.js';

interface GeneratedPackageJson {
  name: string;
  version: string;
  type: string;
  exports: Record<string, unknown>;
  files: string[];
  scripts: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

const ownVersion = (JSON.parse(readFileSync(join(generatorRoot, 'package.json'), 'utf8')) as { version: string }).version;

let tree: Tree;
beforeEach(() => {
  tree = createTreeWithEmptyWorkspace();
});

const generate = (options: Partial<PluginGeneratorSchema> & Pick<PluginGeneratorSchema, 'name' | 'kind'>) =>
  pluginGenerator(tree, { skipFormat: true, ...options });

/** Every file under `dir` in the tree, relative to it, sorted. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const child of tree.children(d)) {
      const path = `${d}/${child}`;
      if (tree.isFile(path)) out.push(`${rel}${child}`);
      else walk(path, `${rel}${child}/`);
    }
  };
  walk(dir, '');
  return out.sort();
}

describe.each(PLUGIN_KINDS)('plugin generator, --kind %s', (kind) => {
  const name = `my-${kind}`;
  const root = `plugins/${name}`;

  it('writes a standalone package: manifest, skeleton, test, README, configs', async () => {
    await generate({ name, kind });
    expect(filesUnder(root)).toEqual(
      [
        '.gitignore',
        'README.md',
        'package.json',
        `src/${name}.test.ts`,
        `src/${name}.ts`,
        'src/index.test.ts',
        'src/index.ts',
        'tsconfig.json',
        'tsup.config.ts',
        'vitest.config.ts',
      ].sort(),
    );
    for (const file of filesUnder(root)) {
      const text = tree.read(`${root}/${file}`, 'utf-8') ?? '';
      // Every placeholder was substituted…
      expect(text, file).not.toMatch(/<%|%>|__tmpl__|__fileName__|__dot__/);
      // …and nothing points back into this repository.
      expect(text, file).not.toMatch(/tools\/dev|tsconfig\.base|\.\.\/\.\.\/|\/work\//);
    }
  });

  it('depends on @metadg/core and tfjs-core as peers only, and exports ESM + CJS + types', async () => {
    await generate({ name, kind });
    const pkg = readJson<GeneratedPackageJson>(tree, `${root}/package.json`);
    expect(pkg.name).toBe(`metadg-plugin-${name}`);
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.peerDependencies).toEqual({
      '@metadg/core': `^${ownVersion}`,
      '@tensorflow/tfjs-core': TOOLCHAIN_VERSIONS.tfjs,
    });
    expect(pkg.devDependencies['@metadg/core']).toBe(`^${ownVersion}`);
    expect(pkg.exports['.']).toEqual({
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    });
    expect(pkg.files).toEqual(['dist', 'README.md']);
    expect(Object.keys(pkg.scripts)).toEqual(expect.arrayContaining(['build', 'test', 'typecheck', 'prepublishOnly']));
    const tsconfig = readJson<{ extends?: string; compilerOptions: { strict: boolean } }>(tree, `${root}/tsconfig.json`);
    expect(tsconfig.extends).toBeUndefined();
    expect(tsconfig.compilerOptions.strict).toBe(true);
  });

  it('exports metadgPlugins with a "' + kind + '" plugin named like the package folder', async () => {
    await generate({ name, kind });
    const index = tree.read(`${root}/src/index.ts`, 'utf-8')!;
    expect(index).toMatch(/export const metadgPlugins: PluginPackage = definePluginPackage\(\{/);
    expect(index).toContain(`packageName: 'metadg-plugin-${name}'`);
    const impl = tree.read(`${root}/src/${name}.ts`, 'utf-8')!;
    expect(impl).toContain(`kind: '${kind}'`);
    expect(impl).toContain(`name: '${name}'`);
  });

  it('documents exactly the hyper-parameters the skeleton declares, and how to select it', async () => {
    await generate({ name, kind });
    const impl = tree.read(`${root}/src/${name}.ts`, 'utf-8')!;
    const schema = impl.slice(impl.indexOf('HParams = z.object({'), impl.indexOf('\n});'));
    const declared = [...schema.matchAll(/^ {2}(\w+): z\./gm)].map((m) => m[1]);
    expect(declared).toEqual(KIND_INFO[kind].hparams.map((h) => h.name));
    const readme = tree.read(`${root}/README.md`, 'utf-8')!;
    for (const h of KIND_INFO[kind].hparams) expect(readme).toContain(`| \`${h.name}\` | ${h.default} |`);
    expect(readme).toContain(`plugins: ['metadg-plugin-${name}']`);
    expect(readme).toMatch(new RegExp(`^${KIND_INFO[kind].configField}:\\n  (- )?name: ${name}$`, 'm'));
    expect(readme).toContain('npm publish');
  });
});

describe('plugin generator options', () => {
  it('names the package from --packageScope or --packageName, and places it under --directory', async () => {
    await generate({ name: 'hard-pair', kind: 'loss', packageScope: 'acme' });
    expect(readJson<GeneratedPackageJson>(tree, 'plugins/hard-pair/package.json').name).toBe('@acme/metadg-plugin-hard-pair');
    await generate({ name: 'face-net', kind: 'backbone', packageName: '@lab/face-net', directory: 'libs/ml/' });
    expect(readJson<GeneratedPackageJson>(tree, 'libs/ml/face-net/package.json').name).toBe('@lab/face-net');
    expect(tree.read('libs/ml/face-net/src/index.ts', 'utf-8')).toContain(`packageName: '@lab/face-net'`);
    expect(tree.read('libs/ml/face-net/src/face-net.ts', 'utf-8')).toContain('export function createFaceNet(');
  });

  it('uses --description in package.json, README and the package doc comment', async () => {
    await generate({ name: 'x-loss', kind: 'loss', description: 'Quotes "inside" and a */ comment end.' });
    expect(readJson<GeneratedPackageJson & { description: string }>(tree, 'plugins/x-loss/package.json').description).toBe(
      'Quotes "inside" and a */ comment end.',
    );
    // Escaped in the doc comment, so the comment still ends where it should.
    const index = tree.read('plugins/x-loss/src/index.ts', 'utf-8')!;
    expect(index.split('\n')[1]).toBe(' * metadg-plugin-x-loss — Quotes "inside" and a *\\/ comment end.');
    expect(tree.read('plugins/x-loss/README.md', 'utf-8')).toContain('Quotes "inside" and a */ comment end.');
  });

  it.each([
    [{ name: 'MyLoss', kind: 'loss' }, 'name', /kebab-case.*try "my-loss"/],
    [{ name: 'my_loss', kind: 'loss' }, 'name', /kebab-case/],
    [{ name: 'ok', kind: 'optimizer' }, 'kind', /one of loss, backbone, sampler, meta-optimizer, dataset/],
    [{ name: 'ok', kind: 'loss', directory: '../outside' }, 'directory', /inside the workspace/],
    [{ name: 'ok', kind: 'loss', directory: '/abs' }, 'directory', /inside the workspace/],
    [{ name: 'ok', kind: 'loss', packageScope: '@Bad Scope' }, 'packageScope', /not a valid npm scope/],
    [{ name: 'ok', kind: 'loss', packageName: 'Has Spaces' }, 'packageName', /not a valid npm package name/],
  ] as const)('rejects %o, naming --%s', async (options, field, message) => {
    const error = await generate(options as PluginGeneratorSchema).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginGeneratorError);
    expect((error as PluginGeneratorError).field).toBe(field);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(new RegExp(`^--${field}: `));
  });

  it('refuses to overwrite an existing package folder', async () => {
    await generate({ name: 'dup', kind: 'loss' });
    await expect(generate({ name: 'dup', kind: 'sampler' })).rejects.toThrow(/plugins\/dup already exists/);
  });
});

describe('generator packaging', () => {
  it('generators.json points nx at the built CJS factory and at a schema whose kinds match', () => {
    const collection = JSON.parse(readFileSync(join(generatorRoot, 'generators.json'), 'utf8')) as {
      generators: { plugin: { factory: string; schema: string } };
    };
    expect(collection.generators.plugin.factory).toBe('./dist/index.cjs#pluginGenerator');
    const schema = JSON.parse(readFileSync(join(generatorRoot, collection.generators.plugin.schema), 'utf8')) as {
      properties: { kind: { enum: string[] }; directory: { default: string } };
      required: string[];
    };
    expect(schema.properties.kind.enum).toEqual([...PLUGIN_KINDS]);
    expect(schema.properties.directory.default).toBe('plugins');
    expect(schema.required).toEqual(['name', 'kind']);
    const pkg = JSON.parse(readFileSync(join(generatorRoot, 'package.json'), 'utf8')) as { generators: string; files: string[] };
    expect(pkg.generators).toBe('./generators.json');
    expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'generators', 'generators.json']));
  });

  it('writes the toolchain versions this repository builds and tests with', () => {
    const root = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const dev = root.devDependencies;
    expect(TOOLCHAIN_VERSIONS.tsup).toBe(dev['tsup']);
    expect(TOOLCHAIN_VERSIONS.vitest).toBe(dev['vitest']);
    expect(TOOLCHAIN_VERSIONS.typescript).toBe(dev['typescript']);
    expect(TOOLCHAIN_VERSIONS.tfjs).toBe(dev['@tensorflow/tfjs-core']);
    expect(TOOLCHAIN_VERSIONS.typesNode.split('.')[0]).toBe(dev['@types/node']?.split('.')[0]);
  });
});
