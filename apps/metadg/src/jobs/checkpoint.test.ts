import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointError, readCheckpoint, writeCheckpoint } from './checkpoint.js';

const dir = mkdtempSync(join(tmpdir(), 'metadg-ckpt-'));
const state = {
  step: 12,
  params: [
    { name: 'backbone/w', shape: [2, 3], values: Float32Array.from([1, 2, 3, 4, 5, 6.5]) },
    { name: 'loss/soft-classification/W', shape: [1], values: Float32Array.from([-0.25]) },
  ],
  optimizer: [{ name: 'backbone/w/momentum', shape: [2, 3], values: Float32Array.from([0.1, 0, 0, 0, 0, Math.PI]) }],
  meta: { history: [{ step: 1, loss: 2.5 }], imagesSeen: 96 },
};

function caught(fn: () => unknown): CheckpointError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CheckpointError) return err;
    throw err;
  }
  throw new Error('expected a CheckpointError');
}

describe('checkpoints', () => {
  it('round-trips parameters, optimizer slots and metadata exactly', () => {
    const file = join(dir, 'a.bin');
    writeCheckpoint(file, state);
    const back = readCheckpoint<typeof state.meta>(file);
    expect(back.step).toBe(12);
    expect(back.meta).toEqual(state.meta);
    expect(back.params.map((p) => [p.name, p.shape, Array.from(p.values)])).toEqual(
      state.params.map((p) => [p.name, p.shape, Array.from(p.values)]),
    );
    expect(Array.from(back.optimizer[0]!.values)).toEqual(Array.from(state.optimizer[0]!.values));
  });

  it('replaces the previous checkpoint atomically (no temp file left behind)', () => {
    const file = join(dir, 'b.bin');
    writeCheckpoint(file, state);
    writeCheckpoint(file, { ...state, step: 13 });
    expect(readCheckpoint(file).step).toBe(13);
    expect(() => readFileSync(`${file}.tmp`)).toThrow(/ENOENT/);
  });

  it('detects truncation, a flipped byte, garbage and a missing file, naming the file', () => {
    const file = join(dir, 'c.bin');
    writeCheckpoint(file, state);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 4));
    expect(caught(() => readCheckpoint(file)).message).toBe(`${file}: checksum mismatch (file damaged or truncated)`);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 0xff;
    writeFileSync(file, flipped);
    expect(caught(() => readCheckpoint(file)).message).toMatch(/checksum mismatch/);
    writeFileSync(file, 'not a checkpoint at all');
    expect(caught(() => readCheckpoint(file)).message).toMatch(/truncated header|not valid JSON|not a MetaDG checkpoint/);
    writeFileSync(file, Buffer.alloc(2));
    expect(caught(() => readCheckpoint(file)).message).toBe(`${file}: truncated (no header)`);
    expect(caught(() => readCheckpoint(join(dir, 'missing.bin'))).message).toMatch(/missing\.bin: cannot read \(ENOENT\)/);
  });
});
