import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal configs hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/**
 * A job's directory name: readable prefix plus a hash of its full config
 * (DomainBed style), so any change to the config is a different job and an
 * identical config finds its finished or half-finished work again.
 */
export function jobKey(label: string, config: unknown): string {
  const hash = createHash('sha256').update(canonicalJson(config)).digest('hex').slice(0, 12);
  const safe = label.replace(/[^A-Za-z0-9._+-]+/g, '_').slice(0, 60);
  return `${safe}-${hash}`;
}
