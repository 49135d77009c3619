import { spawn } from 'node:child_process';

/** Exit status and output of a child process. */
export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment for child npm/node processes: without the `npm_*`
 * variables that `npm run` exports (they would, e.g., turn `npm pack` into a
 * workspace-wide or dry-run-forced command) and without NODE_OPTIONS.
 */
export function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|NODE_OPTIONS$)/i.test(k)) env[k] = v;
  return { ...env, FORCE_COLOR: '0', NO_COLOR: '1', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}

/**
 * Runs `command args` in `cwd` (environment: `childEnv()` unless given),
 * collecting output; killed after `timeoutMs`; never throws on a non-zero exit.
 */
export function run(command: string, args: readonly string[], cwd: string, timeoutMs = 180_000, env: NodeJS.ProcessEnv = childEnv()): Promise<RunResult> {
  return new Promise((resolveRun) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${timeoutMs / 1000} s)`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolveRun({ status: 127, stdout, stderr: `${stderr}${err.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ status: code ?? 1, stdout, stderr });
    });
  });
}

/** First non-empty line of some tool output (for one-line problem messages). */
export function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '(no output)';
}
