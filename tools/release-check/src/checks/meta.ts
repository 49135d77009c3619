import type { PackageManifest, Problem } from '../types.js';

/**
 * Registry-facing metadata: a semver version and a license (errors), and a
 * description, public access for scoped packages and a `repository`
 * (warnings: npm works without them, users and provenance do not).
 */
export function checkMeta(manifest: PackageManifest): Problem[] {
  const problems: Problem[] = [];
  const error = (message: string) => problems.push({ check: 'meta', severity: 'error', message });
  const warn = (message: string) => problems.push({ check: 'meta', severity: 'warning', message });
  if (!/^\d+\.\d+\.\d+(-[\w.-]+)?$/.test(manifest.version ?? '')) error(`"version" ${JSON.stringify(manifest.version)} is not semver`);
  if (!manifest.license) error('no "license"');
  if (!manifest.description) warn('no "description"');
  if (manifest.name.startsWith('@') && manifest.publishConfig?.access !== 'public') {
    warn('scoped package without "publishConfig": { "access": "public" } (a plain npm publish would make it restricted)');
  }
  if (!manifest.repository) warn('no "repository" (shown on npm; required for provenance)');
  return problems;
}
