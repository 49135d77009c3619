// npm, run so that it can only talk to the local registry: its own user and
// global config (nothing inherited from ~/.npmrc or npm_config_* variables),
// its own cache, and a proxy tripwire — every request that is not for
// 127.0.0.1 goes to a closed port and fails at once.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run as runProcess, type RunResult } from '@metadg/release-check';
import type { LocalRegistry } from './local-registry.js';

/** Exit status and output of a child process. */
export type Ran = RunResult;

/** Environment without npm's, vitest's and nx's variables (npm_config_* would override our config). */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(npm_|VITEST|NX_|NODE_OPTIONS$|TEST$)/i.test(k)) env[k] = v;
  }
  return { ...env, FORCE_COLOR: '0', NO_COLOR: '1', NX_DAEMON: 'false', NX_NO_CLOUD: 'true', CI: 'true', ...extra };
}

/** Runs a command, collecting output; never throws on a non-zero exit (release-check's runner, with this test's environment). */
export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv(), timeoutMs = 300_000): Promise<Ran> {
  return runProcess(command, args, cwd, timeoutMs, env);
}

/** The port nothing listens on: the proxy tripwire. */
export const DEAD_PROXY = 'http://127.0.0.1:9/';

/** npm bound to `registry`; `dir` receives its config files and cache. */
export function isolatedNpm(dir: string, registry: LocalRegistry): (args: readonly string[], cwd: string) => Promise<Ran> {
  mkdirSync(dir, { recursive: true });
  const host = new URL(registry.url).host;
  const userconfig = join(dir, 'npmrc');
  const globalconfig = join(dir, 'global-npmrc');
  writeFileSync(
    userconfig,
    [
      `registry=${registry.url}`,
      `//${host}/:_authToken=${registry.token}`,
      `proxy=${DEAD_PROXY}`,
      `https-proxy=${DEAD_PROXY}`,
      'noproxy=127.0.0.1,localhost',
      `cache=${join(dir, 'cache')}`,
      'audit=false',
      'fund=false',
      'update-notifier=false',
      'fetch-retries=0',
      'ignore-scripts=true',
      '',
    ].join('\n'),
  );
  writeFileSync(globalconfig, '');
  // Options first, so that a command's own --registry (last one wins) can override ours.
  return (args, cwd) =>
    run('npm', ['--userconfig', userconfig, '--globalconfig', globalconfig, '--registry', registry.url, ...args], cwd);
}
