import type { BackendResult, CaseResult, KernelComparison, Unavailable } from './results.js';
import type { KernelTiming } from './kernels.js';
import type { Summary } from './stats.js';

/** Lays out rows as left-aligned columns separated by two spaces. */
export function formatColumns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) => row.map((cell, i) => cell + ' '.repeat((widths[i] ?? 0) - [...cell].length)).join('  ').trimEnd()).join('\n');
}

/** `12.3` below 100, `1,234` above: milliseconds as people read them. */
export function ms(value: number): string {
  return value < 100 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US');
}

/** `median [min–max]` of a timing summary. */
export function spread(s: Summary): string {
  return `${ms(s.median)} [${ms(s.min)}–${ms(s.max)}]`;
}

function caseCell(r: CaseResult | undefined): [string, string] {
  if (r === undefined) return ['—', ''];
  if (r.skipped !== undefined || r.wallMs === undefined) {
    const first = r.warmupMs[0];
    return [`skipped${first === undefined ? '' : ` (1 run: ${ms(first)})`}`, ''];
  }
  const leak = r.tensors.after !== r.tensors.before ? ` ⚠ tensors ${r.tensors.after - r.tensors.before > 0 ? '+' : ''}${r.tensors.after - r.tensors.before}` : '';
  return [`${spread(r.wallMs)}${leak}`, r.gflopsPerS === undefined ? '' : r.gflopsPerS.toFixed(1)];
}

function backendLabel(r: BackendResult): string {
  return r.kernelSet ? `${r.backend} (${r.kernelSet} kernels)` : r.backend;
}

/**
 * The human-readable table: per network, one row per case (and variant),
 * for each backend the median [min–max] wall time in ms and GFLOP/s.
 */
export function formatReport(results: readonly BackendResult[], unavailable: readonly Unavailable[]): string {
  const lines: string[] = [];
  const first = results[0];
  if (first) {
    const m = first.machine;
    const loads = results.map((r) => `${backendLabel(r)} ${r.machine.loadAverageStart[0]}→${r.machine.loadAverageEnd[0]}`).join(', ');
    lines.push(`MetaDG benchmark ${first.date.slice(0, 10)} · node ${m.node} · ${m.cpus}× ${m.cpuModel} · ${first.settings.runs} timed runs after ${first.settings.warmup} warm-up`);
    lines.push(`1-min load average (start→end): ${loads}`);
    if (first.settings.runs < 5) lines.push(`⚠ fewer than 5 timed runs: medians are indicative only`);
  }
  const networks = new Map<string, { title: string; setup: string }>();
  for (const r of results) for (const n of r.networks) networks.set(n.id, { title: n.title, setup: n.setup });
  for (const [id, n] of networks) {
    lines.push('', `${id}: ${n.title}`);
    const header = ['case', ...results.flatMap((r) => [`${backendLabel(r)}: median [min–max] ms`, 'GFLOP/s'])];
    const keys: { case: string; variant: string; title: string }[] = [];
    for (const r of results) {
      for (const c of r.cases) {
        if (c.network !== id || keys.some((k) => k.case === c.case && k.variant === c.variant)) continue;
        keys.push({ case: c.case, variant: c.variant, title: c.variant === 'single thread' ? c.title : `${c.title}, ${c.variant}` });
      }
    }
    const rows = keys.map((k) => [
      k.title,
      ...results.flatMap((r) => caseCell(r.cases.find((c) => c.network === id && c.case === k.case && c.variant === k.variant))),
    ]);
    lines.push(formatColumns([header, ...rows]));
  }
  for (const r of results) {
    if (r.kernels && r.kernels.length > 0) lines.push('', `${backendLabel(r)}: kernels (fast vs baseline)`, formatKernels(r.kernels));
  }
  const rss = results.map((r) => `${backendLabel(r)} ${r.peakRssMB} MB`).join(', ');
  if (rss) lines.push('', `peak RSS: ${rss}`);
  for (const u of unavailable) lines.push(`${u.backend}: unavailable (${u.reason})`);
  return lines.join('\n');
}

/** The kernel micro-benchmark table. */
export function formatKernels(kernels: readonly KernelComparison[]): string {
  const rows = kernels.map((k) => [
    k.id,
    k.fast.wallMs ? spread(k.fast.wallMs) : (k.fast.skipped ?? '—'),
    k.baseline?.wallMs ? spread(k.baseline.wallMs) : (k.baseline?.skipped ?? '—'),
    k.speedup === undefined ? '' : `${k.speedup.toFixed(1)}×`,
    k.fast.wallMs ? (k.flops / (k.fast.wallMs.median * 1e6)).toFixed(1) : '',
  ]);
  return formatColumns([['kernel/shape', 'fast ms', 'baseline ms', 'speedup', 'GFLOP/s (fast)'], ...rows]);
}

/** Per kernel case, the timing with the lowest median wall time among several runs of the same set. */
export function bestOf(runs: readonly (readonly KernelTiming[])[]): KernelTiming[] {
  const best = new Map<string, KernelTiming>();
  for (const run of runs) {
    for (const t of run) {
      const held = best.get(t.id);
      const better = held === undefined || (t.wallMs !== undefined && (held.wallMs === undefined || t.wallMs.median < held.wallMs.median));
      if (better) best.set(t.id, t);
    }
  }
  return [...best.values()];
}

/** Pairs the fast and baseline timings of each kernel case. */
export function compareKernels(fast: readonly KernelTiming[], baseline: readonly KernelTiming[] | undefined): KernelComparison[] {
  return fast.map((f) => {
    const b = baseline?.find((k) => k.id === f.id);
    const pick = (t: KernelTiming) => ({
      ...(t.wallMs ? { wallMs: t.wallMs } : {}),
      ...(t.cpuMs ? { cpuMs: t.cpuMs } : {}),
      ...(t.skipped ? { skipped: t.skipped } : {}),
    });
    return {
      id: f.id,
      kernel: f.kernel,
      shape: f.shape,
      flops: f.flops,
      fast: pick(f),
      ...(b ? { baseline: pick(b) } : {}),
      ...(b?.wallMs && f.wallMs ? { speedup: b.wallMs.median / f.wallMs.median } : {}),
      ...(b ? { checksumRelativeDifference: Math.abs(f.checksum - b.checksum) / Math.max(Math.abs(b.checksum), Number.MIN_VALUE) } : {}),
    };
  });
}
