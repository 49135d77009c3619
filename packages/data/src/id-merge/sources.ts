import { ConfigError } from '@metadg/core';

/**
 * Which source (dataset, collection) each domain comes from: a table
 * domain → source (domains not listed are their own source), or a function.
 * Default everywhere: every domain is its own source.
 */
export type SourceGrouping = Readonly<Record<string, string>> | ((domain: string) => string);

/** Resolves `grouping` into a checked `domain → source` function. */
export function sourceResolver(grouping: SourceGrouping | undefined): (domain: string) => string {
  const lookup =
    grouping === undefined
      ? (d: string): string => d
      : typeof grouping === 'function'
        ? grouping
        : (d: string): string => (Object.prototype.hasOwnProperty.call(grouping, d) ? (grouping[d] as string) : d);
  return (domain: string): string => {
    const source = lookup(domain);
    if (typeof source !== 'string' || source.length === 0) {
      throw new ConfigError(`sources.${domain}`, `expected a non-empty source name, got ${JSON.stringify(source)}`);
    }
    return source;
  };
}
