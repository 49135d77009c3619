import { describe, expect, it } from 'vitest';
import { decode, findAll, parseMarkup, textOf } from '../../test/html-structure.js';
import { EvaluationError } from '../errors.js';
import { renderDotChart } from './dot-chart.js';

const rowsOf = (svg: string) => findAll(parseMarkup(svg), (e) => e.attrs.class === 'dot-row');
const attr = (svg: string, cls: string, name: string) =>
  findAll(parseMarkup(svg), (e) => e.attrs.class === cls).map((e) => Number(e.attrs[name]));

describe('renderDotChart', () => {
  it('draws a labelled row per category, dots ordered by value and whiskers of ± error', () => {
    const svg = String(
      renderDotChart({
        title: 'AUC by <variant>',
        valueLabel: 'AUC',
        rows: [
          { label: 'full', value: 0.9, error: 0.02 },
          { label: 'no <hard-pair>', value: 0.8 },
          { label: 'no alignment', value: 0.95, error: 0.01 },
        ],
      }),
    );
    expect(rowsOf(svg).map((r) => decode(r.attrs['data-label'] ?? ''))).toEqual(['full', 'no <hard-pair>', 'no alignment']);
    expect(svg).not.toContain('<hard-pair>');
    const cx = attr(svg, 'dot', 'cx');
    // 0.8 < 0.9 < 0.95 left to right.
    expect(cx[1]).toBeLessThan(cx[0] as number);
    expect(cx[0]).toBeLessThan(cx[2] as number);
    // Rows go down the chart.
    const cy = attr(svg, 'dot', 'cy');
    expect(cy).toEqual([...cy].sort((a, b) => a - b));
    // Two whiskers (the row without an error has none), centred on their dots.
    const x1 = attr(svg, 'error-bar', 'x1');
    const x2 = attr(svg, 'error-bar', 'x2');
    expect(x1).toHaveLength(2);
    expect((x1[0]! + x2[0]!) / 2).toBeCloseTo(cx[0]!, 0);
    // The whisker of ±0.02 is twice as long as that of ±0.01.
    expect((x2[0]! - x1[0]!) / (x2[1]! - x1[1]!)).toBeCloseTo(2, 1);
    expect(textOf(findAll(parseMarkup(svg), (e) => e.attrs.class === 'chart-title')[0]!)).toBe('AUC by <variant>');
  });

  it('maps a fixed domain onto the plot frame', () => {
    const svg = String(renderDotChart({ title: 't', valueLabel: 'v', rows: [{ label: 'lo', value: 0 }, { label: 'hi', value: 1 }], domain: [0, 1] }));
    const frame = findAll(parseMarkup(svg), (e) => e.attrs.class === 'frame')[0]!.attrs;
    expect(attr(svg, 'dot', 'cx')).toEqual([Number(frame.x), Number(frame.x) + Number(frame.width)]);
  });

  it('rejects non-finite values, negative errors and a bad domain, naming the field', () => {
    const bad = (rows: { label: string; value: number; error?: number }[], domain?: [number, number]) => () =>
      renderDotChart({ title: 't', valueLabel: 'v', rows, ...(domain ? { domain } : {}) });
    expect(bad([{ label: 'a', value: Number.NaN }])).toThrow(EvaluationError);
    expect(bad([{ label: 'a', value: Number.NaN }])).toThrow(/rows\[0\]\.value/);
    expect(bad([{ label: 'a', value: 1 }, { label: 'b', value: 1, error: -1 }])).toThrow(/rows\[1\]\.error/);
    expect(bad([{ label: 'a', value: 1 }], [1, 1])).toThrow(/domain/);
  });
});
