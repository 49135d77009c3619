/** Minimal structured logger; the app supplies one that draws progress bars. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

/** Logs `info`/`warn` to stderr (stdout stays free for machine-readable output). */
export const consoleLogger: Logger = {
  info: (m) => process.stderr.write(`${m}\n`),
  warn: (m) => process.stderr.write(`warning: ${m}\n`),
  debug: (m) => {
    if (process.env['METADG_DEBUG']) process.stderr.write(`debug: ${m}\n`);
  },
};

/** Discards everything (tests). */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, debug: () => {} };

/** Keeps every message in memory (tests that assert on warnings). */
export function memoryLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
    debug: (m) => lines.push(`debug: ${m}`),
  };
}
