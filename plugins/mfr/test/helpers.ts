// Shared fixtures of the MFR plugin's tests: the reference cases, plus the
// generic fixtures of @metadg/meta/testing.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ReferenceResult } from '../src/index.js';

export * from '@metadg/meta/testing';

/** A reference case file as read from JSON (validated by the code under test, not here). */
export interface CaseJson {
  readonly hyper: Record<string, number>;
  readonly params: Record<string, unknown>;
  readonly domains: Record<string, unknown>[];
  readonly expected: ReferenceResult;
  readonly [key: string]: unknown;
}

/** A reference case file of test/fixtures, parsed. */
export function loadCase(n: number): CaseJson {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`./fixtures/mfr-case-${n}.json`, import.meta.url)), 'utf8'));
}
