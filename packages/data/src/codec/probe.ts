/** Image container formats the loader reads. */
export type ImageFormat = 'jpeg' | 'png';

/** What the first bytes of a file say about it. */
export type ProbeResult =
  | { readonly ok: true; readonly format: ImageFormat; readonly width: number; readonly height: number }
  | { readonly ok: false; readonly reason: string };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/** The format named by the file's magic bytes (never by its extension), if any. */
export function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  return undefined;
}

/**
 * Reads format and dimensions from a file's header without decoding pixels
 * (PNG: IHDR; JPEG: the first SOFn frame header). Cheap enough to run on
 * every file of a dataset when it is opened; truncated pixel data is only
 * found by decoding.
 */
export function probeImage(bytes: Uint8Array): ProbeResult {
  if (bytes.length === 0) return { ok: false, reason: 'empty file (0 bytes)' };
  const format = sniffFormat(bytes);
  if (format === 'png') {
    if (bytes.length < 24) return { ok: false, reason: 'truncated PNG header' };
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { ok: true, format, width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (format === 'jpeg') return probeJpeg(bytes);
  return { ok: false, reason: 'not a JPEG or PNG image (unrecognised content)' };
}

// Start-of-frame markers: SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
const isStartOfFrame = (m: number): boolean => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

function probeJpeg(bytes: Uint8Array): ProbeResult {
  let pos = 2;
  while (pos + 3 < bytes.length) {
    if (bytes[pos] !== 0xff) return { ok: false, reason: `corrupt JPEG: expected a marker at byte ${pos}` };
    const marker = bytes[pos + 1] as number;
    if (marker === 0xff) {
      pos += 1; // fill byte
      continue;
    }
    // Markers without a length field.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      pos += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break; // end of image / start of scan before any frame header
    const length = ((bytes[pos + 2] as number) << 8) | (bytes[pos + 3] as number);
    if (isStartOfFrame(marker)) {
      if (pos + 9 > bytes.length) break;
      const height = ((bytes[pos + 5] as number) << 8) | (bytes[pos + 6] as number);
      const width = ((bytes[pos + 7] as number) << 8) | (bytes[pos + 8] as number);
      return { ok: true, format: 'jpeg', width, height };
    }
    if (length < 2) return { ok: false, reason: `corrupt JPEG: bad segment length at byte ${pos}` };
    pos += 2 + length;
  }
  return { ok: false, reason: 'corrupt JPEG: no frame header (file truncated?)' };
}
