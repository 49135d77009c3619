import { describe, expect, it } from 'vitest';
import { decode, findAll, parseMarkup, textOf, type Element } from '../../test/html-structure.js';
import { randomPairs } from '../../test/reference.js';
import { computeVerificationMetrics } from '../verification/verification-metrics.js';
import type { ComparisonReport, RunResult } from './comparison-types.js';
import { renderComparisonHtml } from './comparison-report.js';
import { flattenVerificationMetrics } from './metric-specs.js';

const EVIL = '<script>alert("x")</script>';

function makeRuns(): RunResult[] {
  const runs: RunResult[] = [];
  let seedBase = 100;
  for (const [algorithm, separation] of [['ERM', 0.2], ['MFR', 0.4], [EVIL, 0.3]] as const) {
    for (const heldOutDomain of ['sketch', 'photo']) {
      for (const seed of [0, 1]) {
        const m = computeVerificationMetrics(randomPairs(seedBase++, 200, 50, separation));
        runs.push({
          algorithm,
          heldOutDomain,
          seed,
          metrics: flattenVerificationMetrics(m),
          roc: m.roc,
          lossHistory: { steps: [0, 10, 20], parts: { total: [2, 1.5, 1.2], hardPair: [1, 0.8, 0.7] } },
        });
      }
    }
  }
  return runs;
}

const byClass = (root: Element, cls: string) => findAll(root, (e) => (e.attrs.class ?? '').split(' ').includes(cls));
const seriesOf = (svg: Element) => byClass(svg, 'series').map((p) => decode(p.attrs['data-series'] ?? ''));

describe('renderComparisonHtml', () => {
  const runs = makeRuns();
  const report: ComparisonReport = {
    title: `Comparison ${EVIL}`,
    notes: [`note ${EVIL}`],
    runs,
    sections: [{ title: 'Extra', paragraphs: ['p1'], preformatted: 'a < b' }],
    config: { name: EVIL, steps: 300 },
  };
  const page = renderComparisonHtml(report);
  const root = parseMarkup(page);

  it('is a well-formed, self-contained document with no script and no network access', () => {
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(findAll(root, (e) => ['script', 'link', 'img', 'iframe', 'object'].includes(e.tag))).toEqual([]);
    expect(page).not.toMatch(/\bsrc=|@import|url\(/);
    // The only URL is the SVG namespace identifier, which is never fetched.
    expect(page.match(/https?:\/\/[^"\s]*/g)?.every((u) => u === 'http://www.w3.org/2000/svg')).toBe(true);
  });

  it('escapes every user-provided text (XSS)', () => {
    expect(page).not.toContain('<script');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(textOf(findAll(root, (e) => e.tag === 'h1')[0]!)).toBe(`Comparison ${EVIL}`);
    expect(textOf(findAll(root, (e) => e.tag === 'pre').at(-1)!)).toContain(`"name": "${EVIL.replace(/"/g, '\\"')}"`);
  });

  it('has one table per metric with mean ± std cells and the best per column in bold', () => {
    const tables = findAll(root, (e) => e.tag === 'table');
    expect(tables.map((t) => t.attrs['data-metric'])).toEqual(['auc', 'tpr@1e-1', 'tpr@1e-2', 'tpr@1e-3', 'accuracy10fold']);
    const auc = tables[0]!;
    const header = findAll(auc, (e) => e.tag === 'thead')[0]!;
    expect(findAll(header, (e) => e.tag === 'th').map(textOf)).toEqual(['Algorithm', 'sketch', 'photo', 'Average']);
    const rows = findAll(auc, (e) => e.tag === 'tbody')[0]!.children;
    expect(rows.map((r) => textOf(r.children[0]!))).toEqual(['ERM', 'MFR', EVIL]);
    // ERM on sketch: seeds 0 and 1 → mean ± sample std of the two AUCs.
    const ermSketch = runs.filter((r) => r.algorithm === 'ERM' && r.heldOutDomain === 'sketch').map((r) => r.metrics.auc as number);
    const mean = (ermSketch[0]! + ermSketch[1]!) / 2;
    const std = Math.abs(ermSketch[0]! - ermSketch[1]!) / Math.SQRT2;
    expect(textOf(rows[0]!.children[1]!)).toBe(`${mean.toFixed(4)} ± ${std.toFixed(4)}`);
    // Exactly the cells holding a column's highest printed mean are bold.
    for (let col = 1; col <= 3; col++) {
      const means = rows.map((r) => Number(textOf(r.children[col]!).split(' ± ')[0]));
      const bold = rows.map((r) => r.children[col]!.attrs.class === 'best');
      expect(bold).toEqual(means.map((m) => m === Math.max(...means)));
      expect(bold.some(Boolean)).toBe(true);
    }
  });

  it('draws a ROC chart per held-out domain with one curve per algorithm', () => {
    const charts = findAll(findAll(root, (e) => e.attrs.id === 'roc')[0]!, (e) => e.tag === 'svg');
    expect(charts.map((c) => decode(c.attrs['aria-label'] ?? ''))).toEqual(['ROC — held-out domain sketch', 'ROC — held-out domain photo']);
    for (const chart of charts) expect(seriesOf(chart)).toEqual(['ERM', 'MFR', EVIL]);
    // Same colour for an algorithm in every chart.
    const colors = charts.map((c) => byClass(c, 'series').map((p) => p.attrs.stroke));
    expect(colors[0]).toEqual(colors[1]);
    expect(new Set(colors[0]).size).toBe(3);
  });

  it('draws a loss chart per held-out domain: one line per algorithm and loss part, lowest seed', () => {
    const charts = findAll(findAll(root, (e) => e.attrs.id === 'losses')[0]!, (e) => e.tag === 'svg');
    expect(charts).toHaveLength(2);
    expect(seriesOf(charts[0]!)).toEqual([
      'ERM (seed 0) · total',
      'ERM (seed 0) · hardPair',
      'MFR (seed 0) · total',
      'MFR (seed 0) · hardPair',
      `${EVIL} (seed 0) · total`,
      `${EVIL} (seed 0) · hardPair`,
    ]);
  });

  it('renders extra sections and the configuration', () => {
    const headings = findAll(root, (e) => e.tag === 'h2').map(textOf);
    expect(headings).toEqual(['Results on the held-out domains', 'ROC curves', 'Training losses', 'Extra', 'Configuration']);
    expect(page).toContain('<pre>a &lt; b</pre>');
  });

  it('leaves out chart sections when runs carry no ROC or losses, and honours metric specs', () => {
    const bare = renderComparisonHtml({
      title: 't',
      runs: [{ algorithm: 'a', heldOutDomain: 'A', seed: 0, metrics: { loss: 0.3, auc: 0.9 } }, { algorithm: 'b', heldOutDomain: 'A', seed: 0, metrics: { loss: 0.2, auc: 0.8 } }],
      metrics: [{ key: 'loss', label: 'Final loss', higherIsBetter: false, digits: 2 }],
    });
    const r = parseMarkup(bare);
    expect(findAll(r, (e) => e.tag === 'svg')).toEqual([]);
    const tables = findAll(r, (e) => e.tag === 'table');
    expect(tables).toHaveLength(1);
    const rows = findAll(tables[0]!, (e) => e.tag === 'tbody')[0]!.children;
    // Lower is better: b's 0.20 is bold, a's 0.30 is not.
    expect(rows.map((row) => [textOf(row.children[1]!), row.children[1]!.attrs.class ?? ''])).toEqual([
      ['0.30', ''],
      ['0.20', 'best'],
    ]);
  });
});
