import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataError, hashString } from '@metadg/core';

/**
 * Optional on-disk cache of rendered samples: one file per (domain,
 * identity) holding all its samples as coverage bytes, under a directory
 * named by a fingerprint of everything that shapes a render (fonts, table,
 * size, jitter, seed). Rendering is fast (~20k images/s), so this pays off
 * only where the disk is faster than one CPU core.
 */
export class RenderCache {
  readonly dir: string;
  private readonly blockBytes: number;

  constructor(root: string, fingerprint: unknown, blockBytes: number) {
    const text = JSON.stringify(fingerprint);
    // Two 32-bit hashes with different salts: 64 bits against collisions.
    const key = `${hashString(`a/${text}`).toString(16).padStart(8, '0')}${hashString(`b/${text}`).toString(16).padStart(8, '0')}`;
    this.dir = join(root, key);
    this.blockBytes = blockBytes;
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(join(this.dir, 'fingerprint.json'), `${JSON.stringify(fingerprint, null, 1)}\n`);
    } catch (cause) {
      throw new DataError(root, `cannot create render cache (${cause instanceof Error ? cause.message : String(cause)})`);
    }
  }

  /** The cached samples of one identity in one domain, or `undefined` if absent or truncated. */
  read(domain: string, identity: string): Uint8Array | undefined {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.pathOf(domain, identity));
    } catch {
      return undefined;
    }
    // A wrong length means a foreign or truncated file: render again.
    return bytes.length === this.blockBytes ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) : undefined;
  }

  /** Stores one block; written to a temporary file then renamed, so readers never see half a file. */
  write(domain: string, identity: string, block: Uint8Array): void {
    const path = this.pathOf(domain, identity);
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(tmp, block);
      renameSync(tmp, path);
    } catch (cause) {
      throw new DataError(path, `cannot write render cache (${cause instanceof Error ? cause.message : String(cause)})`);
    }
  }

  private pathOf(domain: string, identity: string): string {
    return join(this.dir, encodeURIComponent(domain), `${encodeURIComponent(identity)}.u8`);
  }
}
