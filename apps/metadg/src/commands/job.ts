import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { consoleLogger, formatError } from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import { executeJob } from '../study/execute-job.js';
import type { JobDescription } from '../study/job-plan.js';
import { encodeEvent } from '../study/worker-events.js';

/**
 * `metadg job <dir>` (internal): a worker process running the job described
 * by `<dir>/job.json`, reporting progress events on stdout for the parent.
 */
export async function jobCommand(dir: string): Promise<number> {
  const job = JSON.parse(readFileSync(join(dir, 'job.json'), 'utf8')) as JobDescription;
  try {
    // The parent's --backend arrives as METADG_BACKEND and wins over the config's choice.
    const fromConfig = job.config.backend === 'auto' || process.env['METADG_BACKEND'] ? undefined : job.config.backend;
    await initBackend({ ...(fromConfig ? { backend: fromConfig } : {}), log: (l) => consoleLogger.info(l) });
    let last = 0;
    await executeJob(job, consoleLogger, (step, total, m) => {
      // Throttled: the parent redraws at most a few times a second anyway.
      if (Date.now() - last > 500 || step === total) {
        last = Date.now();
        process.stdout.write(encodeEvent({ type: 'progress', step, total, loss: m.loss }));
      }
    });
    process.stdout.write(encodeEvent({ type: 'done' }));
    return 0;
  } catch (err) {
    process.stdout.write(encodeEvent({ type: 'failed', message: formatError(err) }));
    process.stderr.write(`${err instanceof Error && process.env['METADG_DEBUG'] ? err.stack : formatError(err)}\n`);
    return 1;
  }
}
