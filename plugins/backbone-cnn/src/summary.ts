import { formatShape, sizeOf, type Layer } from './layers/layer.js';

/** One row of a network summary. */
export interface LayerSummary {
  readonly name: string;
  readonly kind: string;
  /** Nesting depth (0 = top-level layer of the network). */
  readonly depth: number;
  readonly outputShape: readonly number[];
  readonly params: number;
  /** Forward FLOPs per sample. */
  readonly flops: number;
}

/** Every layer of a network, depth first (composite layers before their children). */
export function summarizeNetwork(network: Layer): LayerSummary[] {
  const rows: LayerSummary[] = [];
  const visit = (layer: Layer, depth: number): void => {
    rows.push({
      name: layer.name,
      kind: layer.kind,
      depth,
      outputShape: layer.outputShape,
      params: layer.params.reduce((n, p) => n + sizeOf(p.shape), 0),
      flops: layer.flops,
    });
    for (const child of layer.children ?? []) visit(child, depth + 1);
  };
  for (const child of network.children ?? [network]) visit(child, 0);
  return rows;
}

/** A plain-text table of `summarizeNetwork` with totals, for logs and READMEs. */
export function formatSummary(network: Layer): string {
  const rows = summarizeNetwork(network).map((r) => [
    `${'  '.repeat(r.depth)}${r.name}`,
    r.kind,
    formatShape(r.outputShape),
    r.params.toLocaleString('en-US'),
    r.flops.toLocaleString('en-US'),
  ]);
  const total = network.params.reduce((n, p) => n + sizeOf(p.shape), 0);
  const table = [['layer', 'kind', 'output', 'params', 'FLOPs/sample'], ...rows, ['total', '', formatShape(network.outputShape), total.toLocaleString('en-US'), network.flops.toLocaleString('en-US')]];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => (r[c] ?? '').length)));
  return table.map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd()).join('\n');
}
