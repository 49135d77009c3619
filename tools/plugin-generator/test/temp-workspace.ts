// A throw-away nx workspace on disk, the way a third party has one: its own
// package.json and nx.json, and a node_modules that is a symlink to this
// repository's, so that nx, tsup, vitest and @metadg/* resolve without any
// registry. Child processes get an environment without the parent vitest's
// or nx's variables, which would otherwise leak into the nested tools.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const generatorRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(generatorRoot, '../..');
const bin = (name: string) => join(repoRoot, 'node_modules', '.bin', name);

/** Result of a child process. */
export interface Ran {
  readonly status: number;
  readonly output: string;
}

/** The environment for nested tools: no VITEST_*, NX_* or npm_* leaking in. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(VITEST|NX_|npm_|TEST$|NODE_OPTIONS$)/.test(k)) env[k] = v;
  }
  return { ...env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_SKIP_NX_CACHE: 'true', FORCE_COLOR: '0', CI: 'true', ...extra };
}

/** Runs one of the repo's CLI tools (`nx`, `tsc`, `tsup`, `vitest`) in `cwd`. */
export function runTool(tool: string, args: readonly string[], cwd: string, timeoutMs = 240_000): Ran {
  const r = spawnSync(bin(tool), args, { cwd, env: cleanEnv(), encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status ?? 1, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** Creates the workspace; call `dispose` when done. */
export function createTempWorkspace(prefix = 'metadg-gen-'): { root: string; dispose: () => void } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'third-party-workspace', private: true }, null, 2));
  writeFileSync(join(root, 'nx.json'), JSON.stringify({ useDaemonProcess: false }, null, 2));
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  return { root, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    newest = Math.max(newest, s.isDirectory() ? newestMtime(p) : s.mtimeMs);
  }
  return newest;
}

/**
 * nx loads the generator from `dist/` (as it would from an installed
 * package). `npm test` builds everything first; when the generator is run
 * on its own and its sources are newer than the bundle, build it here.
 */
export function ensureGeneratorBuilt(): void {
  const bundle = join(generatorRoot, 'dist', 'index.cjs');
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= newestMtime(join(generatorRoot, 'src'))) return;
  const built = runTool('tsup', [], generatorRoot);
  if (built.status !== 0) throw new Error(`building @metadg/tools failed:\n${built.output}`);
}

/** `nx g @metadg/tools:plugin <name> --kind <kind> …` in `root`; returns the package folder. */
export function nxGeneratePlugin(root: string, name: string, kind: string, extra: readonly string[] = []): string {
  const r = runTool('nx', ['g', '@metadg/tools:plugin', name, '--kind', kind, '--no-interactive', ...extra], root);
  if (r.status !== 0) throw new Error(`nx g @metadg/tools:plugin ${name} --kind ${kind} failed:\n${r.output}`);
  const dir = join(root, extra.includes('--directory') ? extra[extra.indexOf('--directory') + 1]! : 'plugins', name);
  if (!existsSync(join(dir, 'package.json'))) throw new Error(`nx g reported success but wrote no ${dir}/package.json:\n${r.output}`);
  return dir;
}
