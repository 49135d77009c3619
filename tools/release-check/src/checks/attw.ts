import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { firstLine, run } from '../run.js';
import type { Problem } from '../types.js';

/** Short explanations of the problem kinds "are the types wrong?" reports. */
const TITLES: Readonly<Record<string, string>> = {
  NoResolution: 'resolution failed',
  UntypedResolution: 'resolves to JavaScript without type declarations',
  FalseCJS: 'types are CJS, implementation is ESM (masquerading as CJS)',
  FalseESM: 'types are ESM, implementation is CJS (masquerading as ESM)',
  NamedExports: 'named exports TypeScript allows do not exist at run time in Node.js',
  CJSResolvesToESM: 'a require() resolves to an ES module',
  FallbackCondition: 'resolved through a fallback condition',
  CJSOnlyExportsDefault: 'CJS default export is not what ESM consumers get',
  FalseExportDefault: 'types declare a default export the JavaScript does not have',
  MissingExportEquals: 'types lack the export = the JavaScript has',
  UnexpectedModuleSyntax: 'module syntax does not match the detected format',
  InternalResolutionError: 'an import inside the types fails to resolve',
};

interface AttwProblem {
  kind: string;
  entrypoint?: string;
  resolutionKind?: string;
  fileName?: string;
  typesFileName?: string;
  implementationFileName?: string;
}

function attwBin(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('@arethetypeswrong/cli/package.json');
  const { bin } = require(manifestPath) as { bin: Record<string, string> };
  return join(dirname(manifestPath), bin['attw'] ?? 'dist/index.js');
}

/**
 * `attw --pack` (are the types wrong?): packs the package and resolves every
 * entry point as node10, node16 (CJS and ESM) and bundler TypeScript would.
 */
export async function checkAttw(dir: string): Promise<Problem[]> {
  const r = await run(process.execPath, [attwBin(), '--pack', '.', '--format', 'json'], dir);
  let parsed: { problems?: Record<string, AttwProblem[]> | AttwProblem[] };
  try {
    parsed = JSON.parse(r.stdout) as typeof parsed;
  } catch {
    return [{ check: 'attw', severity: 'error', message: `attw did not run: ${firstLine(r.stderr || r.stdout)}` }];
  }
  const raw = parsed.problems ?? [];
  const list = Array.isArray(raw) ? raw : Object.values(raw).flat();
  return list.map((p) => {
    const where = [p.entrypoint, p.resolutionKind].filter(Boolean).join(', ');
    const file = (p.typesFileName ?? p.fileName ?? p.implementationFileName ?? '').replace(/^\/node_modules\/(@[^/]+\/)?[^/]+\//, '');
    return {
      check: 'attw',
      severity: 'error',
      message: `${p.kind}${where ? ` (${where})` : ''}: ${TITLES[p.kind] ?? 'see https://arethetypeswrong.github.io'}${file ? ` — ${file}` : ''}`,
    } satisfies Problem;
  });
}
