import type { HParamIssue } from './plugin/manifest.js';

/** A validation issue as zod reports it (only what we read). */
interface IssueLike extends HParamIssue {
  readonly code?: string;
  readonly keys?: readonly string[];
  readonly received?: unknown;
}

/**
 * Turns schema issues into one line: the first issue's field (a dotted path,
 * `[i]` for list items) and a message that lists every problem, the first
 * without repeating its field. Unknown keys are named as fields themselves.
 */
export function describeIssues(issues: readonly HParamIssue[]): { field: string; message: string } {
  const [first, ...rest] = issues as readonly IssueLike[];
  if (!first) return { field: '', message: 'invalid' };
  const more = rest.map((i) => `; ${fieldOf(i) || '(root)'}: ${messageOf(i)}`).join('');
  return { field: fieldOf(first), message: `${messageOf(first)}${more}` };
}

function fieldOf(issue: IssueLike): string {
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
  if (issue.keys && issue.keys.length > 0) return issue.keys.map((k) => (path ? `${path}.${k}` : k)).join(', ');
  return path;
}

function messageOf(issue: IssueLike): string {
  if (issue.keys && issue.keys.length > 0) return 'unknown field';
  if (issue.code === 'invalid_type' && issue.received === 'undefined') return 'required';
  return issue.message;
}
