#!/usr/bin/env node
// Regenerates src/data/glyph-table.json, the identity table of the default
// glyph benchmark: code points held by all 15 default families (every listed
// weight), with look-alikes merged by comparing canonical renders.
//
//   cd packages/dataset-glyphs && npx tsup && node scripts/build-glyph-table.mjs [--check]
//
// With --check it only compares the fresh table with the committed one and
// exits 1 when they differ (e.g. after a font package upgrade).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GLYPH_DOMAINS, buildGlyphTable, formatCodePoint } from '../dist/index.js';

const target = join(dirname(fileURLToPath(import.meta.url)), '../src/data/glyph-table.json');
const started = Date.now();
const table = buildGlyphTable(GLYPH_DOMAINS);
const seconds = ((Date.now() - started) / 1000).toFixed(1);

// One identity per line keeps diffs of the committed file readable.
const lines = table.identities.map((m) => `    ${JSON.stringify(m)}`);
const text = [
  '{',
  '  "version": 1,',
  `  "sharedCodePoints": ${table.sharedCodePoints},`,
  `  "merge": ${JSON.stringify(table.merge)},`,
  `  "fonts": ${JSON.stringify(table.fonts)},`,
  '  "identities": [',
  lines.join(',\n'),
  '  ]',
  '}',
  '',
].join('\n');

const merged = table.identities.filter((m) => m.length > 1);
console.log(
  `${table.sharedCodePoints} shared code points → ${table.identities.length} identities ` +
    `(${merged.length} look-alike groups) in ${seconds} s`,
);
console.log(merged.map((m) => m.map((cp) => String.fromCodePoint(cp)).join('')).join(' '));

if (process.argv.includes('--check')) {
  const committed = readFileSync(target, 'utf8');
  if (committed !== text) {
    const old = new Set(JSON.parse(committed).identities.map((m) => m.map(formatCodePoint).join('+')));
    const now = new Set(table.identities.map((m) => m.map(formatCodePoint).join('+')));
    console.error(`differs from ${target}`);
    console.error(`  only committed: ${[...old].filter((k) => !now.has(k)).join(' ')}`);
    console.error(`  only fresh:     ${[...now].filter((k) => !old.has(k)).join(' ')}`);
    process.exit(1);
  }
  console.log('committed table is up to date');
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
