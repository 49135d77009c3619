#!/usr/bin/env node
// Rendering throughput of the glyph dataset on one core (not a test: speed
// depends on the machine). Fonts are loaded in a warm-up pass first.
//
//   cd packages/dataset-glyphs && npx tsup && node scripts/bench-render.mjs [imageSize] [count]
import { Rng } from '@metadg/core';
import { createGlyphDataset } from '../dist/index.js';

const size = Number(process.argv[2] ?? 32);
const count = Number(process.argv[3] ?? 20000);
const ds = createGlyphDataset({ seed: 1, imageSize: size });
const rng = new Rng(2);
const ids = ds.identities(ds.domains[0]).map((i) => i.id);
const refs = Array.from({ length: count }, () => ({
  domain: rng.pick(ds.domains),
  identity: rng.pick(ids),
  index: rng.int(ds.samplesPerIdentity),
}));

let t = performance.now();
for (const domain of ds.domains) ds.renderBytes(ids.map((identity) => ({ domain, identity, index: 0 })));
for (const domain of ds.domains) for (let index = 1; index < ds.samplesPerIdentity; index++) ds.renderBytes(ids.slice(0, 5).map((identity) => ({ domain, identity, index })));
console.log(`warm-up (font parsing, ${ids.length} identities × ${ds.domains.length} domains): ${((performance.now() - t) / 1000).toFixed(2)} s`);

// Pass 1 still parses outlines it meets for the first time; pass 2 is steady state.
for (const pass of [1, 2]) {
  t = performance.now();
  ds.renderBytes(refs);
  const dt = (performance.now() - t) / 1000;
  console.log(`${size}×${size} pass ${pass}: ${count} random samples in ${dt.toFixed(2)} s → ${Math.round(count / dt)} images/s (one core)`);
}
