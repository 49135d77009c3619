import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '@metadg/core';
import { describe, expect, it } from 'vitest';
import { decodeWeights } from './dequantize.js';
import { faceApiModelDir, loadFaceWeights } from './load-face-weights.js';
import { parseWeightsManifest } from './manifest.js';

describe('parseWeightsManifest', () => {
  it('accepts raw and uint8/uint16-quantised float32 entries', () => {
    const groups = parseWeightsManifest(
      [
        {
          paths: ['a.bin'],
          weights: [
            { name: 'w', shape: [2], dtype: 'float32' },
            { name: 'q', shape: [1, 3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
          ],
        },
      ],
      'm.json',
    );
    expect(groups).toEqual([
      {
        paths: ['a.bin'],
        weights: [
          { name: 'w', shape: [2] },
          { name: 'q', shape: [1, 3], quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
        ],
      },
    ]);
  });

  it('names the file and the entry at fault', () => {
    const group = (w: unknown) => [{ paths: ['a.bin'], weights: [w] }];
    expect(() => parseWeightsManifest({}, 'm.json')).toThrow(new DataError('m.json', 'expected a non-empty array of weight groups'));
    expect(() => parseWeightsManifest([{ paths: [], weights: [] }], 'm.json')).toThrow(
      new DataError('m.json', 'weight group 0: "paths" must be a non-empty list of file names'),
    );
    expect(() => parseWeightsManifest(group({ name: 'k', shape: [2], dtype: 'int32' }), 'm.json')).toThrow(
      new DataError('m.json', 'weight group 0, weights[0] ("k"): dtype int32 is not supported (float32 only)'),
    );
    expect(() => parseWeightsManifest(group({ name: 'k', shape: [-1], dtype: 'float32' }), 'm.json')).toThrow(/\("k"\): "shape" must be/);
    expect(() =>
      parseWeightsManifest(group({ name: 'k', shape: [1], dtype: 'float32', quantization: { dtype: 'float16' } }), 'm.json'),
    ).toThrow(new DataError('m.json', 'weight group 0, weights[0] ("k"): quantization dtype float16 is not supported (uint8, uint16)'));
    expect(() =>
      parseWeightsManifest(group({ name: 'k', shape: [1], dtype: 'float32', quantization: { dtype: 'uint8', scale: 'x', min: 0 } }), 'm.json'),
    ).toThrow(/needs finite "scale" and "min"/);
  });
});

describe('decodeWeights', () => {
  it('dequantises q·scale + min and copies raw little-endian float32 (hand-computed)', () => {
    const raw = new Float32Array([1.5, -2.25]);
    const u16 = new Uint8Array(4);
    new DataView(u16.buffer).setUint16(0, 1000, true);
    new DataView(u16.buffer).setUint16(2, 65535, true);
    const bytes = new Uint8Array([...new Uint8Array(raw.buffer), 0, 2, 255, ...u16]);
    const out = decodeWeights(
      [
        { name: 'raw', shape: [2] },
        { name: 'u8', shape: [3], quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
        { name: 'u16', shape: [2], quantization: { dtype: 'uint16', scale: 0.001, min: 2 } },
      ],
      bytes,
      'w.bin',
    );
    expect(Array.from(out.get('raw') ?? [])).toEqual([1.5, -2.25]);
    // 0·0.5 − 1, 2·0.5 − 1, 255·0.5 − 1
    expect(Array.from(out.get('u8') ?? [])).toEqual([-1, 0, 126.5]);
    // 1000·0.001 + 2, 65535·0.001 + 2
    const u = Array.from(out.get('u16') ?? []);
    expect(u[0]).toBeCloseTo(3, 5);
    expect(u[1]).toBeCloseTo(67.535, 3);
  });

  it('rejects a file whose size does not match the manifest', () => {
    expect(() => decodeWeights([{ name: 'w', shape: [3] }], new Uint8Array(8), 'w.bin')).toThrow(
      new DataError('w.bin', 'holds 8 bytes but the manifest describes 12'),
    );
  });
});

describe('loadFaceWeights', () => {
  it("reads face-api's local face recognition model: 117 tensors, 5.6 M values, cached per process", () => {
    const w = loadFaceWeights();
    expect(w.dir).toBe(faceApiModelDir());
    expect(w.tensors.size).toBe(117);
    let n = 0;
    for (const t of w.tensors.values()) n += t.values.length;
    // 29 convolutions (+ bias and scale) and the 256×128 dense layer.
    expect(n).toBe(5_614_592);
    expect(w.tensors.get('conv32_down/conv/filters')?.shape).toEqual([7, 7, 3, 32]);
    expect(w.tensors.get('fc')?.shape).toEqual([256, 128]);
    expect([...w.tensors.values()].every((t) => t.values.every(Number.isFinite))).toBe(true);
    expect(loadFaceWeights()).toBe(w);
  });

  it('reports missing or garbled files with a DataError naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'face-weights-'));
    const manifest = join(dir, 'face_recognition_model-weights_manifest.json');
    expect(() => loadFaceWeights(dir)).toThrow(new DataError(manifest, 'face recognition weights manifest not found'));
    writeFileSync(manifest, '{ not json');
    expect(() => loadFaceWeights(dir)).toThrow(/face_recognition_model-weights_manifest\.json: is not valid JSON/);
    writeFileSync(manifest, JSON.stringify([{ paths: ['x.bin'], weights: [{ name: 'w', shape: [2], dtype: 'float32' }] }]));
    expect(() => loadFaceWeights(dir)).toThrow(new DataError(join(dir, 'x.bin'), 'weight shard listed in the manifest not found'));
    writeFileSync(join(dir, 'x.bin'), new Uint8Array(7));
    expect(() => loadFaceWeights(dir)).toThrow(new DataError(join(dir, 'x.bin'), 'holds 7 bytes but the manifest describes 8'));
  });
});
