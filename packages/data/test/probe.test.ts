import { describe, expect, it } from 'vitest';
import { probeImage, sniffFormat } from '../src/index.js';
import { encodedPattern } from './helpers.js';

describe('probeImage', () => {
  it('reads JPEG and PNG dimensions from the header', async () => {
    expect(probeImage(await encodedPattern(37, 21, 1, 'jpeg'))).toEqual({ ok: true, format: 'jpeg', width: 37, height: 21 });
    expect(probeImage(await encodedPattern(5, 9, 1, 'png'))).toEqual({ ok: true, format: 'png', width: 5, height: 9 });
  });

  it('walks past APP segments to the frame header', async () => {
    const jpeg = await encodedPattern(12, 8, 1, 'jpeg');
    // Insert a 1 kB APP1 segment right after SOI.
    const app1 = new Uint8Array(4 + 1020);
    app1.set([0xff, 0xe1, (1022 >> 8) & 0xff, 1022 & 0xff]);
    const withApp = Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
    expect(probeImage(withApp)).toMatchObject({ ok: true, width: 12, height: 8 });
  });

  it('explains what is wrong with bad bytes', async () => {
    expect(probeImage(new Uint8Array(0))).toEqual({ ok: false, reason: 'empty file (0 bytes)' });
    expect(probeImage(new TextEncoder().encode('GIF89a....'))).toMatchObject({ ok: false, reason: expect.stringMatching(/not a JPEG or PNG/) });
    const jpeg = await encodedPattern(12, 8, 1, 'jpeg');
    expect(probeImage(jpeg.subarray(0, 20))).toMatchObject({ ok: false, reason: expect.stringMatching(/no frame header/) });
    expect(probeImage(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0x12, 0x34, 0, 0]))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/expected a marker at byte 8/),
    });
    expect(probeImage(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toMatchObject({ ok: false, reason: 'truncated PNG header' });
  });

  it('sniffs format by content, not name', async () => {
    expect(sniffFormat(await encodedPattern(4, 4, 1, 'png'))).toBe('png');
    expect(sniffFormat(await encodedPattern(4, 4, 1, 'jpeg'))).toBe('jpeg');
    expect(sniffFormat(Uint8Array.from([1, 2, 3]))).toBeUndefined();
  });
});
