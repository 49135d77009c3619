import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { MetaDGError } from '@metadg/core';

/** A checkpoint file is unreadable, truncated or fails its checksum. */
export class CheckpointError extends MetaDGError {
  override name = 'CheckpointError';
  readonly file: string;

  constructor(file: string, problem: string) {
    super('CHECKPOINT_INVALID', `${file}: ${problem}`);
    this.file = file;
  }
}

/** One float32 tensor as stored: name, shape and values. */
export interface StoredTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** Everything a job needs to continue exactly where it stopped. */
export interface CheckpointState<Meta> {
  /** Outer steps completed. */
  readonly step: number;
  /** Model parameters (backbone and loss parameters). */
  readonly params: readonly StoredTensor[];
  /** Outer optimizer slots (momentum, Adam moments …). */
  readonly optimizer: readonly StoredTensor[];
  /** JSON-serialisable extras (loss history, images seen, seconds spent …). */
  readonly meta: Meta;
}

const MAGIC = 'METADG-CKPT-1';

interface Header<Meta> {
  magic: string;
  step: number;
  sha256: string;
  tensors: { group: 'params' | 'optimizer'; name: string; shape: number[]; offset: number; length: number }[];
  meta: Meta;
}

/**
 * Writes a checkpoint atomically: the bytes go to `<file>.tmp`, are fsynced,
 * then renamed over `file`, so a crash leaves either the old or the new
 * checkpoint, never half of one. Layout: uint32 header length, JSON header
 * (with a SHA-256 of the tensor bytes), float32 tensor data.
 */
export function writeCheckpoint<Meta>(file: string, state: CheckpointState<Meta>): void {
  const tensors: Header<Meta>['tensors'] = [];
  let offset = 0;
  const chunks: Float32Array[] = [];
  for (const [group, list] of [['params', state.params], ['optimizer', state.optimizer]] as const) {
    for (const t of list) {
      tensors.push({ group, name: t.name, shape: [...t.shape], offset, length: t.values.length });
      chunks.push(t.values);
      offset += t.values.length;
    }
  }
  const data = new Float32Array(offset);
  let at = 0;
  for (const c of chunks) {
    data.set(c, at);
    at += c.length;
  }
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const header: Header<Meta> = {
    magic: MAGIC,
    step: state.step,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    tensors,
    meta: state.meta,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  // Pad so the float32 data starts 4-byte aligned.
  const pad = (4 - ((4 + headerBytes.length) % 4)) % 4;
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32LE(headerBytes.length + pad, 0);
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, prefix);
    writeSync(fd, headerBytes);
    if (pad) writeSync(fd, Buffer.alloc(pad, 0x20));
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** Reads and verifies a checkpoint; any damage is a `CheckpointError` naming the file. */
export function readCheckpoint<Meta>(file: string): CheckpointState<Meta> {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (err) {
    throw new CheckpointError(file, `cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (buf.length < 4) throw new CheckpointError(file, 'truncated (no header)');
  const headerLength = buf.readUInt32LE(0);
  if (4 + headerLength > buf.length) throw new CheckpointError(file, 'truncated header');
  let header: Header<Meta>;
  try {
    header = JSON.parse(buf.subarray(4, 4 + headerLength).toString('utf8')) as Header<Meta>;
  } catch {
    throw new CheckpointError(file, 'header is not valid JSON');
  }
  if (header.magic !== MAGIC) throw new CheckpointError(file, 'not a MetaDG checkpoint');
  const body = buf.subarray(4 + headerLength);
  if (createHash('sha256').update(body).digest('hex') !== header.sha256) {
    throw new CheckpointError(file, 'checksum mismatch (file damaged or truncated)');
  }
  const data = new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
  const params: StoredTensor[] = [];
  const optimizer: StoredTensor[] = [];
  for (const t of header.tensors) {
    const stored = { name: t.name, shape: t.shape, values: data.slice(t.offset, t.offset + t.length) };
    (t.group === 'params' ? params : optimizer).push(stored);
  }
  return { step: header.step, params, optimizer, meta: header.meta };
}
