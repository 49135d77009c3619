// Parsed tiny configs for app unit tests (the raw ones live in tiny-raw.ts).
import { appRunConfigSchema, compareConfigSchema, type AppRunConfig, type CompareConfig } from '../src/config/app-config.js';
import { tinyCompareRaw, tinyRaw } from './tiny-raw.js';

export { tinyRaw } from './tiny-raw.js';

/** A tiny single run holding out `serif`. */
export function tinyRun(overrides: Record<string, unknown> = {}): AppRunConfig {
  return appRunConfigSchema.parse(tinyRaw({ split: { heldOut: ['serif'] }, ...overrides }));
}

/** A tiny MFR vs ERM comparison (held out: serif; seeds 0, 1; in-process). */
export function tinyCompare(overrides: Record<string, unknown> = {}, compare: Record<string, unknown> = {}): CompareConfig {
  return compareConfigSchema.parse(tinyCompareRaw(overrides, compare));
}
