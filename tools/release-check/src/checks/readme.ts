import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PackageManifest, Problem } from '../types.js';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Fenced code blocks of a markdown text, with their info string (language). */
export function codeBlocks(markdown: string): { lang: string; code: string }[] {
  const blocks: { lang: string; code: string }[] = [];
  for (const m of markdown.matchAll(/^(```+|~~~+)[ \t]*([\w-]*)[^\n]*\n([\s\S]*?)^\1[ \t]*$/gm)) {
    blocks.push({ lang: (m[2] ?? '').toLowerCase(), code: m[3] ?? '' });
  }
  return blocks;
}

/**
 * A README.md that shows how to use the package: a JavaScript/TypeScript code
 * block importing it — or, for a package with a `bin`, a shell block running
 * the command.
 */
export function checkReadme(dir: string, manifest: PackageManifest): Problem[] {
  const file = join(dir, 'README.md');
  if (!existsSync(file)) return [{ check: 'readme', severity: 'error', message: 'no README.md' }];
  const blocks = codeBlocks(readFileSync(file, 'utf8'));
  const name = escape(manifest.name);
  const imports = new RegExp(`(from\\s*|import\\s*\\(\\s*|require\\s*\\(\\s*|import\\s+)["']${name}(/[^"']*)?["']`);
  const code = blocks.filter((b) => /^(ts|typescript|js|javascript|mjs|cjs|tsx|jsx)$/.test(b.lang));
  if (code.some((b) => imports.test(b.code))) return [];
  const bins = typeof manifest.bin === 'string' ? [manifest.name.split('/').pop() ?? ''] : Object.keys(manifest.bin ?? {});
  const shell = blocks.filter((b) => /^(sh|shell|bash|console|zsh)$/.test(b.lang));
  if (bins.some((bin) => shell.some((b) => new RegExp(`(^|\\s|npx\\s+)${escape(bin)}(\\s|$)`, 'm').test(b.code)))) return [];
  const wanted = bins.length > 0 ? `imports "${manifest.name}" or runs ${bins.join('/')}` : `imports "${manifest.name}"`;
  return [{ check: 'readme', severity: 'error', message: `README.md has no code example that ${wanted}` }];
}
