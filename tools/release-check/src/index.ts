/**
 * @metadg/release-check — checks every publishable workspace package before a
 * release: tarball contents (`npm pack --dry-run`), the `exports` map for
 * import/require/types, loading by name, publint, are-the-types-wrong,
 * dependencies (singletons as peers), README example and registry metadata.
 *
 * @packageDocumentation
 */
export { checkPackage, type CheckOptions } from './check-package.js';
export { formatReport, hasFailures } from './report.js';
export { publishablePackages, readManifest, selectPackages, workspaceDirs } from './workspace.js';
export { SINGLETONS, importedPackages, packageOfSpecifier, checkDeps } from './checks/deps.js';
export { checkContents, packList } from './checks/pack.js';
export { checkExports, missingBuildOutputs } from './checks/exports.js';
export { checkReadme, codeBlocks } from './checks/readme.js';
export { checkMeta } from './checks/meta.js';
export { checkLoad } from './checks/load.js';
export { checkPublint } from './checks/publint.js';
export { checkAttw } from './checks/attw.js';
export { resolveTarget, exportEntries, declarationFor, LOOKUPS, type Lookup } from './exports-map.js';
export { satisfies } from './semver-lite.js';
export {
  CHECKS,
  type CheckName,
  type PackageManifest,
  type PackageReport,
  type PackageUnderCheck,
  type PackList,
  type Problem,
  type Severity,
} from './types.js';
export { childEnv, run, type RunResult } from './run.js';
