// A throw-away npm registry for the end-to-end publish test: verdaccio 6 on
// 127.0.0.1, storage in a temp folder, and *no uplinks*, so nothing it serves
// comes from, and nothing asked of it goes to, the public registry.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A running registry. */
export interface LocalRegistry {
  /** e.g. `http://127.0.0.1:4873/` (trailing slash, as npm writes it). */
  readonly url: string;
  /** Bearer token of the registry user that publishes. */
  readonly token: string;
  /** verdaccio's log file (read it when something fails). */
  readonly logFile: string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (asked of the OS, then released for verdaccio). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForPing(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited with code ${child.exitCode} before answering ${url}-/ping`);
    try {
      const r = await fetch(`${url}-/ping`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`verdaccio did not answer ${url}-/ping within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The registry's config: JSON, which is valid YAML. No `uplinks`, no `proxy`: local packages only. */
export function verdaccioConfig(dir: string): string {
  return JSON.stringify(
    {
      storage: join(dir, 'storage'),
      auth: { htpasswd: { file: join(dir, 'htpasswd'), max_users: 10 } },
      uplinks: {},
      packages: { '**': { access: '$all', publish: '$authenticated', unpublish: '$authenticated' } },
      web: { enable: false },
      max_body_size: '500mb',
      log: { type: 'stdout', format: 'pretty', level: 'warn' },
    },
    null,
    2,
  );
}

/**
 * Starts verdaccio (the copy in this repository's node_modules) on a free
 * port and registers a user (what `npm adduser` does, as one HTTP call).
 */
export async function startLocalRegistry(dir: string, verdaccioBin: string): Promise<LocalRegistry> {
  mkdirSync(join(dir, 'storage'), { recursive: true });
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, verdaccioConfig(dir));
  const logFile = join(dir, 'verdaccio.log');
  const log = createWriteStream(logFile);
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const child = spawn(process.execPath, [verdaccioBin, '--config', configFile, '--listen', `127.0.0.1:${port}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    // Last resort if the test process dies without running afterAll.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    const stop = () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolveStop();
        });
        child.kill('SIGTERM');
      });
    try {
      await waitForPing(url, child, 60_000);
      const token = await addUser(url, 'metadg-e2e', `pw-${process.pid}-${Date.now()}`);
      return {
        url,
        token,
        logFile,
        stop: async () => {
          await stop();
          log.end();
        },
      };
    } catch (err) {
      lastError = err; // e.g. the port was taken between freePort() and listen
      await stop();
    }
  }
  log.end();
  throw new Error(`could not start verdaccio: ${(lastError as Error).message} (log: ${logFile})`);
}

/** `npm adduser` as one HTTP call: creates the user and returns its token. */
async function addUser(url: string, name: string, password: string): Promise<string> {
  const r = await fetch(`${url}-/user/org.couchdb.user:${encodeURIComponent(name)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ _id: `org.couchdb.user:${name}`, name, password, type: 'user', roles: [], date: new Date().toISOString() }),
  });
  const body = (await r.json()) as { token?: string; error?: string };
  if (!r.ok || !body.token) throw new Error(`adding registry user failed: HTTP ${r.status} ${body.error ?? ''}`);
  return body.token;
}

/** The manifest fields of a package version that a registry document carries. */
export type VersionManifest = Record<string, unknown> & { name: string; version: string };

/**
 * Publishes one tarball with its package.json, as `npm publish` would (the
 * same PUT request and document), without starting an npm process per package.
 */
export async function publishTarball(registry: LocalRegistry, manifest: VersionManifest, tarball: Buffer): Promise<void> {
  const { name, version } = manifest;
  const file = `${name}-${version}.tgz`;
  const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
  const shasum = createHash('sha1').update(tarball).digest('hex');
  const tarballUrl = `${registry.url}${name}/-/${name.split('/').pop()}-${version}.tgz`;
  const doc = {
    _id: name,
    name,
    description: manifest['description'],
    'dist-tags': { latest: version },
    versions: { [version]: { ...manifest, _id: `${name}@${version}`, dist: { integrity, shasum, tarball: tarballUrl } } },
    access: 'public',
    _attachments: { [file]: { content_type: 'application/octet-stream', data: tarball.toString('base64'), length: tarball.length } },
  };
  const r = await fetch(`${registry.url}${name.replace('/', '%2f')}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${registry.token}` },
    body: JSON.stringify(doc),
  });
  if (!r.ok) throw new Error(`publishing ${name}@${version} to ${registry.url} failed: HTTP ${r.status} ${await r.text()}`);
}
