import { describe, expect, it } from 'vitest';
import { findAll, parseMarkup, textOf, type Element } from '../../test/html-structure.js';
import { renderLineChart, thinToPixels } from './line-chart.js';

const seriesPaths = (svg: string) => findAll(parseMarkup(svg), (e) => e.tag === 'path' && e.attrs.class === 'series');
const moves = (d: string) => d.match(/[ML]/g) ?? [];

describe('renderLineChart', () => {
  it('draws one path per series, with legend, ticks and escaped text', () => {
    const svg = String(
      renderLineChart({
        title: 'Loss <b>',
        xLabel: 'Step',
        yLabel: 'Loss',
        series: [
          { name: 'a & b', x: [0, 1, 2], y: [3, 2, 1] },
          { name: 'c', x: [0, 2], y: [1, 1], dash: '4 2' },
        ],
      }),
    );
    const root = parseMarkup(svg);
    const paths = seriesPaths(svg);
    expect(paths.map((p) => p.attrs['data-series'])).toEqual(['a &amp; b', 'c']);
    expect(paths[1]?.attrs['stroke-dasharray']).toBe('4 2');
    expect(moves(paths[0]?.attrs.d ?? '')).toEqual(['M', 'L', 'L']);
    const legendText = (e: Element) => textOf(findAll(e, (c) => c.tag === 'text')[0]!);
    expect(findAll(root, (e) => e.attrs.class === 'legend-item').map(legendText)).toEqual(['a & b', 'c']);
    expect(svg).not.toContain('<b>');
    expect(textOf(findAll(root, (e) => e.attrs.class === 'chart-title')[0]!)).toBe('Loss <b>');
    // Linear y from 0 to 3: ticks at 0, 0.5, …, 3.
    expect(findAll(root, (e) => e.attrs.class === 'tick').map(textOf)).toContain('0.5');
  });

  it('maps data to pixels: endpoints land on the plot frame', () => {
    const svg = String(renderLineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', x: [0, 1], y: [0, 1] }], xDomain: [0, 1], yDomain: [0, 1] }));
    const frame = findAll(parseMarkup(svg), (e) => e.attrs.class === 'frame')[0]!.attrs;
    const [left, top, w, h] = [frame.x, frame.y, frame.width, frame.height].map(Number) as [number, number, number, number];
    const d = seriesPaths(svg)[0]!.attrs.d;
    expect(d).toBe(`M${left} ${top + h}L${left + w} ${top}`);
  });

  it('breaks lines at non-finite values', () => {
    const svg = String(renderLineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', x: [0, 1, 2, 3, 4], y: [1, 2, NaN, 2, 1] }] }));
    expect(moves(seriesPaths(svg)[0]!.attrs.d ?? '')).toEqual(['M', 'L', 'M', 'L']);
    // A point isolated by gaps is kept as a zero-length segment (drawn as a dot by round caps).
    const lone = String(renderLineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', x: [0, 1, 2], y: [1, NaN, 2] }] }));
    const d = seriesPaths(lone)[0]!.attrs.d ?? '';
    expect(moves(d)).toEqual(['M', 'L', 'M', 'L']);
    const [, last] = d.split(/(?=M)/);
    expect(last).toMatch(/^M([\d.]+) ([\d.]+)L\1 \2$/);
  });

  it('thins long series to a few points per pixel column', () => {
    const n = 100_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 500) + ((i * 7919) % 13) / 100);
    const svg = String(renderLineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', x, y }], width: 560 }));
    const points = moves(seriesPaths(svg)[0]!.attrs.d ?? '').length;
    expect(points).toBeGreaterThan(200);
    expect(points).toBeLessThanOrEqual(4 * 560);
  });

  it('puts a legend of long names below the plot, growing the SVG', () => {
    const long = 'an algorithm with a rather long descriptive name';
    const svg = String(renderLineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: long, x: [0], y: [0] }], height: 300 }));
    const root = parseMarkup(svg);
    expect(Number(root.children[0]!.attrs.height)).toBeGreaterThan(300);
    const frame = findAll(root, (e) => e.attrs.class === 'frame')[0]!.attrs;
    const legendLine = findAll(root, (e) => e.tag === 'line' && e.attrs['stroke-width'] === '2.2')[0]!.attrs;
    expect(Number(legendLine.y1)).toBeGreaterThan(Number(frame.y) + Number(frame.height));
  });

  it('rejects unusable axis intervals', () => {
    const base = { title: 't', xLabel: 'x', yLabel: 'y', series: [] };
    expect(() => renderLineChart({ ...base, xScale: 'log', xDomain: [0, 1] })).toThrow(
      'xDomain: expected finite [min, max] with min < max and min > 0 (log axis), got [0, 1]',
    );
    expect(() => renderLineChart({ ...base, yDomain: [1, 1] })).toThrow('yDomain: expected finite [min, max] with min < max, got [1, 1]');
  });

  it('rejects series whose x and y differ in length', () => {
    expect(() => renderLineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', x: [0, 1], y: [0] }] })).toThrow(
      'series[0].y: length 1 differs from series[0].x length 2',
    );
  });
});

describe('thinToPixels', () => {
  it('keeps first, lowest, highest and last of each pixel column, in order', () => {
    const pts: [number, number][] = [
      [0.1, 5],
      [0.2, 9],
      [0.3, 1],
      [0.4, 4],
      [0.45, 6],
      [1.2, 3],
    ];
    // Column 0: first (0.1,5), highest y (0.2,9), lowest y (0.3,1), last (0.45,6); column 1: (1.2,3).
    expect(thinToPixels(pts)).toEqual([
      [0.1, 5],
      [0.2, 9],
      [0.3, 1],
      [0.45, 6],
      [1.2, 3],
    ]);
  });

  it('leaves series whose x goes backwards untouched', () => {
    const pts: [number, number][] = [
      [0.1, 1],
      [0.2, 2],
      [0.15, 3],
      [0.3, 4],
    ];
    expect(thinToPixels(pts)).toEqual(pts);
  });
});
