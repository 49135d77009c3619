import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A file of a package's build, for code that runs both bundled (the file sits
 * beside the bundle) and from its sources in tests (the file is in the build
 * folder, `distFromSource` relative to the calling module, e.g. `../dist/`).
 * `moduleUrl` is the caller's `import.meta.url`.
 */
export function builtFile(name: string, moduleUrl: string, distFromSource: string): URL {
  const beside = new URL(`./${name}`, moduleUrl);
  return existsSync(fileURLToPath(beside)) ? beside : new URL(`${distFromSource}${name}`, moduleUrl);
}
