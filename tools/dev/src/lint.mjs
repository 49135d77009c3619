#!/usr/bin/env node
// Architecture lint for one workspace package (`node lint.mjs <dir>`):
//  - sources never reference ../shared (the project must stand alone);
//  - no `any` in non-test sources (public APIs are typed);
//  - dependencies point one way: packages ← plugins ← apps (core imports no plugin);
//  - every bare import in src/ is declared in package.json (no phantom
//    dependencies that work only because npm hoisted them in this monorepo).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve } from 'node:path';

const dir = resolve(process.argv[2] ?? '.');
const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const layer = relative(resolve(dir, '../..'), dir).split('/')[0] ?? '';
const declared = new Set([
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}),
  ...Object.keys(pkg.devDependencies ?? {}),
  pkg.name,
]);
const devOnly = new Set(Object.keys(pkg.devDependencies ?? {}));
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const problems = [];

function* files(d) {
  for (const name of readdirSync(d)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(d, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(ts|mts|cts|js|mjs|cjs|json|md)$/.test(name)) yield p;
  }
}

function packageOf(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const layerOfPackage = (name) =>
  /^@metadg\/(plugin-|backbone-|loss-)/.test(name) ? 'plugins' : name === '@metadg/cli' ? 'apps' : 'packages';
const rank = { packages: 0, plugins: 1, apps: 2, tools: 3, test: 3 };

for (const file of files(dir)) {
  const rel = relative(dir, file);
  const text = readFileSync(file, 'utf8');
  if (/\.\.\/shared\b|\/work\/shared/.test(text) && !rel.endsWith('lint.mjs')) problems.push(`${rel}: references ../shared`);
  if (!/\.(ts|mts|cts)$/.test(file)) continue;
  const isTest = /\.test\.ts$/.test(file) || rel.startsWith('test/') || /config\.ts$/.test(file);
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  if (!isTest && /(:\s*any\b|\bas any\b|<any>)/.test(code)) problems.push(`${rel}: uses \`any\``);
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'".][^'"]*)['"]/g)) {
    const spec = m[1];
    if (builtins.has(spec) || builtins.has(spec.split('/')[0])) continue;
    const name = packageOf(spec);
    if (!isTest) {
      if (!declared.has(name)) problems.push(`${rel}: imports "${name}" which package.json does not declare`);
      else if (devOnly.has(name)) problems.push(`${rel}: imports dev-only dependency "${name}" at run time`);
    }
    if (name.startsWith('@metadg/') && rank[layerOfPackage(name)] > (rank[layer] ?? 0)) {
      problems.push(`${rel}: ${layer} must not import "${name}" (dependencies point packages ← plugins ← apps)`);
    }
  }
}

if (problems.length > 0) {
  console.error(`lint ${pkg.name}: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`lint ${pkg.name}: ok`);
