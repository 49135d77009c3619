// Minimal types for pngjs 7 (the package ships none): only the sync API used here.
declare module 'pngjs' {
  /** Decoded PNG: RGBA bytes, 4 per pixel. */
  export interface PngData {
    width: number;
    height: number;
    data: Uint8Array;
  }
  export interface PngSync {
    read(buffer: Uint8Array): PngData;
    write(
      png: PngData,
      options?: { colorType?: 0 | 2 | 4 | 6; inputColorType?: 0 | 2 | 4 | 6; inputHasAlpha?: boolean },
    ): Uint8Array;
  }
  export const PNG: { sync: PngSync };
  const pngjs: { PNG: { sync: PngSync } };
  export default pngjs;
}
