import { CHECKS, type CheckName, type PackageReport } from './types.js';

/** Whether the release must stop: on an error, or with `strict` on a warning too. */
export function hasFailures(reports: readonly PackageReport[], strict = false): boolean {
  return reports.some((r) => r.problems.some((p) => p.severity === 'error' || strict));
}

function cell(report: PackageReport, check: CheckName): string {
  const found = report.problems.filter((p) => p.check === check);
  const errors = found.filter((p) => p.severity === 'error').length;
  if (errors > 0) return `✗ ${errors}`;
  if (report.skipped[check] !== undefined && found.length === 0) return '–';
  return found.length > 0 ? `⚠ ${found.length}` : '✓';
}

/**
 * A plain-text table (one row per package, one column per check: ✓ passed,
 * ✗ n errors, ⚠ n warnings, – skipped), then every problem, one per line.
 */
export function formatReport(reports: readonly PackageReport[]): string {
  const header = ['package', 'version', ...CHECKS, 'result'];
  const rows = reports.map((r) => {
    const failed = r.problems.some((p) => p.severity === 'error');
    return [r.name, r.version, ...CHECKS.map((c) => cell(r, c)), failed ? 'FAIL' : 'ok'];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];

  for (const r of reports) {
    const skipped = Object.entries(r.skipped).filter(([, why]) => why !== 'skipped by option');
    if (r.problems.length === 0 && skipped.length === 0) continue;
    out.push('', `${r.name} (${r.dir})`);
    for (const p of r.problems) out.push(`  ${p.severity === 'error' ? '✗' : '⚠'} ${p.check}: ${p.message}`);
    for (const [check, why] of skipped) out.push(`  – ${check}: skipped (${why})`);
  }
  const failed = reports.filter((r) => r.problems.some((p) => p.severity === 'error')).length;
  const warnings = reports.reduce((n, r) => n + r.problems.filter((p) => p.severity === 'warning').length, 0);
  out.push('', `${reports.length} package(s) checked: ${reports.length - failed} ok, ${failed} failing, ${warnings} warning(s)`);
  return out.join('\n');
}
