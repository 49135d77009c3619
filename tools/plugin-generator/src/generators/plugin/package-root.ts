import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = '@metadg/tools';

/**
 * Folder of the `@metadg/tools` package. Found by walking up from this module
 * because the module runs from `src/` in unit tests and from the bundled
 * `dist/` when nx loads the generator; the templates live beside `dist/`.
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === PACKAGE_NAME) return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${PACKAGE_NAME}: cannot find its package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** Folder holding the per-kind template folders (`common/`, `loss/`, …). */
export function templatesRoot(): string {
  return join(packageRoot(), 'generators', 'plugin', 'files');
}
