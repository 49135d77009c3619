#!/usr/bin/env node
// node tools/release-check/dist/cli.js [package name or folder …] [--skip attw,load] [--strict] [--json] [--root DIR]
//
// Checks every publishable (non-private) workspace package, or the ones named,
// prints a table and the problems found, and exits 1 when any check fails.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkPackage } from './check-package.js';
import { formatReport, hasFailures } from './report.js';
import { CHECKS, type CheckName, type PackageReport } from './types.js';
import { publishablePackages, selectPackages } from './workspace.js';

const USAGE = `usage: release-check [package name or folder …] [--skip ${CHECKS.join(',')}] [--strict] [--json] [--root DIR]`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      skip: { type: 'string', default: '' },
      strict: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      root: { type: 'string', default: process.cwd() },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const skip = values.skip.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = skip.filter((s) => !(CHECKS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new Error(`--skip: unknown check(s) ${unknown.join(', ')} (known: ${CHECKS.join(', ')})`);
  const root = resolve(values.root);
  const packages = selectPackages(publishablePackages(root), positionals, root);
  const reports: PackageReport[] = [];
  for (const pkg of packages) {
    process.stderr.write(`checking ${pkg.manifest.name} …\n`);
    reports.push(await checkPackage(pkg, { skip: skip as CheckName[] }));
  }
  console.log(values.json ? JSON.stringify(reports, null, 2) : formatReport(reports));
  return hasFailures(reports, values.strict) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`release-check: ${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  },
);
