import { describe, expect, it } from 'vitest';
import { findAll, parseMarkup, textOf } from '../../test/html-structure.js';
import { renderComparisonHtml } from './comparison-report.js';
import { renderReportTable } from './report-table.js';

describe('renderReportTable', () => {
  it('renders a caption, headings and rows, escaping text and padding short rows', () => {
    const root = parseMarkup(
      String(renderReportTable({ caption: 'Budgets <b>', columns: ['job', 'steps', 'images'], rows: [['MFR <x>', 60, '5760'], ['ERM', 45]] })),
    );
    expect(textOf(findAll(root, (e) => e.tag === 'caption')[0]!)).toBe('Budgets <b>');
    expect(findAll(root, (e) => e.tag === 'thead')[0]!.children[0]!.children.map(textOf)).toEqual(['job', 'steps', 'images']);
    const rows = findAll(root, (e) => e.tag === 'tbody')[0]!.children;
    expect(rows.map((r) => r.children.map(textOf))).toEqual([
      ['MFR <x>', '60', '5760'],
      ['ERM', '45', ''],
    ]);
    expect(rows[0]!.children[0]!.tag).toBe('th');
  });
});

describe('report sections with tables and charts', () => {
  it('renders paragraphs, tables, line and dot charts of an extra section, in that order', () => {
    const page = renderComparisonHtml({
      title: 't',
      runs: [{ algorithm: 'a', heldOutDomain: 'A', seed: 0, metrics: { auc: 0.9 } }],
      sections: [
        {
          title: 'Convergence',
          paragraphs: ['held-out metric vs images'],
          tables: [{ columns: ['x', 'y'], rows: [['1', '2']] }],
          lineCharts: [{ title: 'AUC vs images', xLabel: 'images', yLabel: 'AUC', series: [{ name: 'a', x: [0, 10], y: [0.5, 0.9] }] }],
          dotCharts: [{ title: 'AUC by variant', valueLabel: 'AUC', rows: [{ label: 'a', value: 0.9 }] }],
        },
      ],
    });
    const section = findAll(parseMarkup(page), (e) => e.tag === 'section' && textOf(e.children[0]!) === 'Convergence')[0]!;
    const order = findAll(section, (e) => ['p', 'table', 'svg'].includes(e.tag)).map((e) => (e.tag === 'svg' ? e.attrs['aria-label'] : e.tag));
    expect(order).toEqual(['p', 'table', 'AUC vs images', 'AUC by variant']);
  });

  it('puts lead sections before the results and other sections after the charts', () => {
    const page = renderComparisonHtml({
      title: 't',
      runs: [{ algorithm: 'a', heldOutDomain: 'A', seed: 0, metrics: { auc: 0.9 } }],
      leadSections: [{ title: 'Lead' }],
      sections: [{ title: 'Tail' }],
    });
    const headings = findAll(parseMarkup(page), (e) => e.tag === 'h2').map(textOf);
    expect(headings).toEqual(['Lead', 'Results on the held-out domains', 'Tail']);
  });
});
