import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError, Rng, type DomainDataset, type SampleRef } from '@metadg/core';
import type { ImageCodec } from '../codec/codec.js';
import { loadCodec, type CodecChoice } from '../codec/load-codec.js';
import { batchToImages } from '../dataset/batch.js';
import { toChannels, type Image } from '../image/image.js';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyph } from './font5x7.js';

/** Options of `renderContactSheet` / `writeContactSheet`. */
export interface ContactSheetOptions {
  /** Samples shown per domain (columns; default 8). */
  readonly perDomain?: number;
  /** Seed of the choice of samples (default 0). */
  readonly seed?: number | string;
  /** Domain names and identity captions (default true). */
  readonly labels?: boolean;
  /** Tiles smaller than this are enlarged by an integer factor, nearest neighbour (default 64 px). */
  readonly minTileSize?: number;
  /** Codec for the PNG (default `auto`). */
  readonly codec?: CodecChoice | ImageCodec;
}

/** What `writeContactSheet` wrote. */
export interface ContactSheetInfo {
  readonly file: string;
  readonly width: number;
  readonly height: number;
  /** Sample shown at each row (domain) and column. */
  readonly grid: readonly (readonly SampleRef[])[];
}

const BACKGROUND = 0.12;
const INK = 0.95;
const GAP = 4;

/**
 * Chooses the samples of a contact sheet: the same identities (and sample
 * indices) in every row where the domain has them, so a column shows one
 * person across domains and domain shift is visible at a glance. Identities
 * present in every domain are preferred; rows fill missing columns with
 * other samples of their own domain.
 */
export function chooseContactSheetSamples(dataset: DomainDataset, perDomain: number, seed: number | string): SampleRef[][] {
  if (!(Number.isInteger(perDomain) && perDomain >= 1 && perDomain <= 256)) {
    throw new ConfigError('perDomain', `must be an integer in [1, 256], got ${perDomain}`);
  }
  const rng = new Rng(seed).fork('contact-sheet');
  const presence = new Map<string, number>();
  for (const d of dataset.domains) for (const i of dataset.identities(d)) presence.set(i.id, (presence.get(i.id) ?? 0) + 1);
  const everywhere = [...presence].filter(([, n]) => n === dataset.domains.length).map(([id]) => id).sort();
  const others = [...presence].filter(([, n]) => n < dataset.domains.length).map(([id]) => id).sort();
  const pool = [...rng.shuffle(everywhere), ...rng.shuffle(others)];
  // Columns cycle through the chosen identities with a fresh sample index each time round.
  const columns: { identity: string; round: number }[] = [];
  for (let k = 0; k < perDomain; k++) columns.push({ identity: pool[k % pool.length] as string, round: Math.floor(k / pool.length) });
  return dataset.domains.map((domain) => {
    const infos = dataset.identities(domain);
    const byId = new Map(infos.map((i) => [i.id, i.samples] as const));
    const rowRng = rng.fork(domain);
    return columns.map(({ identity, round }) => {
      const n = byId.get(identity);
      if (n !== undefined) {
        // One draw per column, shared by all rows: derived domains show the very same photo.
        return { domain, identity, index: rng.fork(`${identity}#${round}`).int(1_000_000) % n };
      }
      const info = rowRng.pick(infos);
      return { domain, identity: info.id, index: rowRng.int(info.samples) };
    });
  });
}

/**
 * Renders a grid of samples: one row per domain, `perDomain` columns,
 * labelled with the domain name on the left and the identity under each
 * tile. Returns an RGB image.
 */
export async function renderContactSheet(
  dataset: DomainDataset,
  options: ContactSheetOptions = {},
): Promise<{ image: Image; grid: SampleRef[][] }> {
  const perDomain = options.perDomain ?? 8;
  const labels = options.labels ?? true;
  const grid = chooseContactSheetSamples(dataset, perDomain, options.seed ?? 0);
  const [h, w] = dataset.sampleShape;
  const zoom = Math.max(1, Math.ceil((options.minTileSize ?? 64) / Math.min(h, w)));
  const tileH = h * zoom;
  const tileW = w * zoom;
  const font = tileW >= 120 ? 2 : 1;
  const charW = (GLYPH_WIDTH + 1) * font;
  const textH = GLYPH_HEIGHT * font;
  const labelW = labels ? Math.min(16, Math.max(...dataset.domains.map((d) => d.length))) * charW + 2 * GAP : 0;
  const titleH = labels ? textH + 2 * GAP : 0;
  const captionH = labels ? textH + GAP : 0;
  const rowH = tileH + captionH + GAP;
  const width = labelW + perDomain * (tileW + GAP) + GAP;
  const height = titleH + dataset.domains.length * rowH + GAP;
  const sheet: Image = { height, width, channels: 3, data: new Float32Array(height * width * 3).fill(BACKGROUND) };
  if (labels) drawText(sheet, `${dataset.name}  ${dataset.domains.length} domains`, GAP, GAP, font, width - 2 * GAP);

  for (let r = 0; r < grid.length; r++) {
    const refs = grid[r] as SampleRef[];
    const batch = await dataset.load(refs);
    let images: Image[];
    try {
      images = await batchToImages(batch);
    } finally {
      batch.dispose();
    }
    const top = titleH + r * rowH;
    if (labels) drawText(sheet, dataset.domains[r] as string, GAP, top + Math.floor((tileH - textH) / 2), font, labelW - GAP);
    images.forEach((img, c) => {
      const left = labelW + GAP + c * (tileW + GAP);
      blit(sheet, toChannels(img, 3), left, top, zoom);
      if (labels) drawText(sheet, (refs[c] as SampleRef).identity, left, top + tileH + 2, font, tileW);
    });
  }
  return { image: sheet, grid };
}

/** Renders a contact sheet (see `renderContactSheet`) and writes it as a PNG to `file`. */
export async function writeContactSheet(
  dataset: DomainDataset,
  file: string,
  options: ContactSheetOptions = {},
): Promise<ContactSheetInfo> {
  const { image, grid } = await renderContactSheet(dataset, options);
  const codec = typeof options.codec === 'object' ? options.codec : await loadCodec(options.codec ?? 'auto');
  const png = await codec.encodePng(image);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, png);
  return { file, width: image.width, height: image.height, grid };
}

/** Copies `tile` into `sheet` at (left, top), each pixel repeated `zoom` × `zoom` times. */
function blit(sheet: Image, tile: Image, left: number, top: number, zoom: number): void {
  for (let y = 0; y < tile.height * zoom; y++) {
    const sy = Math.floor(y / zoom);
    for (let x = 0; x < tile.width * zoom; x++) {
      const sx = Math.floor(x / zoom);
      const src = (sy * tile.width + sx) * 3;
      const dst = ((top + y) * sheet.width + left + x) * 3;
      sheet.data[dst] = tile.data[src] as number;
      sheet.data[dst + 1] = tile.data[src + 1] as number;
      sheet.data[dst + 2] = tile.data[src + 2] as number;
    }
  }
}

/** Draws `text` with the 5×7 font at (x, y), truncated to `maxWidth` pixels. */
function drawText(sheet: Image, text: string, x: number, y: number, scale: number, maxWidth: number): void {
  const advance = (GLYPH_WIDTH + 1) * scale;
  const fits = Math.max(0, Math.floor((maxWidth + scale) / advance));
  const shown = text.length > fits ? `${text.slice(0, Math.max(0, fits - 1))}.` : text;
  [...shown].forEach((ch, i) => {
    const rows = glyph(ch);
    rows.forEach((row, gy) =>
      row.forEach((on, gx) => {
        if (!on) return;
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            const px = x + i * advance + gx * scale + dx;
            const py = y + gy * scale + dy;
            if (px < 0 || py < 0 || px >= sheet.width || py >= sheet.height) continue;
            sheet.data.fill(INK, (py * sheet.width + px) * 3, (py * sheet.width + px) * 3 + 3);
          }
        }
      }),
    );
  });
}
