// Measures face-resnet34 on this machine: verification AUC of the pretrained
// descriptor on every face-fixture domain (all pairs of the 55 photos), and
// forward ms/image on the wasm and cpu backends.
// Run after building: `node plugins/backbone-face/scripts/measure.mjs [--cpu-images 4]`.
import * as tf from '@tensorflow/tfjs-core';
import { createFaceBackbone } from '@metadg/backbone-face';
import { FACES_FIXTURE_DOMAINS, openFacesFixture } from '@metadg/data';
import { computeVerificationMetrics } from '@metadg/eval';
import { initBackend } from '@metadg/tensor';

const flag = process.argv.indexOf('--cpu-images');
const cpuImages = flag > 0 ? Number(process.argv[flag + 1]) : 4;

function allPairs(rows, ids) {
  const unit = rows.map((r) => {
    const n = Math.hypot(...r);
    return r.map((v) => v / n);
  });
  const scores = [];
  const labels = [];
  for (let i = 0; i < unit.length; i++) {
    for (let j = i + 1; j < unit.length; j++) {
      scores.push(unit[i].reduce((s, v, k) => s + v * unit[j][k], 0));
      labels.push(ids[i] === ids[j] ? 1 : 0);
    }
  }
  return { scores, labels };
}

await initBackend({ backend: 'wasm', log: () => {} });
const faces = await openFacesFixture({ imageSize: 150, domains: FACES_FIXTURE_DOMAINS });
const backbone = createFaceBackbone({ headInit: 'identity' });
console.log('domain      AUC     TPR@FPR=1e-2  mean cos genuine / impostor');
let clean;
for (const domain of faces.domains) {
  const refs = faces.identities(domain).flatMap((id) => Array.from({ length: id.samples }, (_, index) => ({ domain, identity: id.id, index })));
  const x = await faces.load(refs);
  if (domain === 'clean') clean = x.clone();
  const d = backbone.descriptor(x);
  const pairs = allPairs(await d.array(), refs.map((r) => r.identity));
  tf.dispose([x, d]);
  const m = computeVerificationMetrics(pairs);
  const mean = (l) => {
    const s = pairs.scores.filter((_, i) => pairs.labels[i] === l);
    return s.reduce((a, b) => a + b, 0) / s.length;
  };
  console.log(`${domain.padEnd(10)}  ${m.auc.toFixed(4)}  ${m.tpr['1e-2'].toFixed(3).padStart(12)}  ${mean(1).toFixed(3)} / ${mean(0).toFixed(3)}`);
}

async function msPerImage(n, repeats) {
  const x = clean.slice([0, 0, 0, 0], [n, 150, 150, 3]);
  await backbone.descriptor(x).data(); // warm-up (kernel setup, weight upload)
  const t0 = performance.now();
  for (let r = 0; r < repeats; r++) {
    const d = backbone.descriptor(x);
    await d.data();
    d.dispose();
  }
  x.dispose();
  return (performance.now() - t0) / (n * repeats);
}
for (const n of [1, 8, 32]) console.log(`wasm: ${(await msPerImage(n, 3)).toFixed(1)} ms/image (batch ${n})`);
await initBackend({ backend: 'cpu', log: () => {} });
console.log(`cpu: ${(await msPerImage(cpuImages, 1)).toFixed(0)} ms/image (batch ${cpuImages})`);
backbone.dispose();
clean.dispose();
