import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import type { Problem } from '../types.js';

/**
 * publint (https://publint.dev) on the packed package: its errors and
 * warnings fail the check, its suggestions are reported as warnings.
 */
export async function checkPublint(dir: string): Promise<Problem[]> {
  const { messages, pkg } = await publint({ pkgDir: dir, level: 'suggestion', pack: 'npm' });
  return messages.map((m) => ({
    check: 'publint',
    severity: m.type === 'suggestion' ? 'warning' : 'error',
    message: `${m.code}: ${(formatMessage(m, pkg) ?? m.code).replace(/\s+/g, ' ')}`,
  }));
}
