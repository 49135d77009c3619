/** What a worker process reports on stdout, one JSON object per line. */
export type WorkerEvent =
  | { readonly type: 'progress'; readonly step: number; readonly total: number; readonly loss: number }
  | { readonly type: 'done' }
  | { readonly type: 'failed'; readonly message: string };

const PREFIX = '@metadg-event ';

/** Encodes an event as a stdout line. */
export function encodeEvent(event: WorkerEvent): string {
  return `${PREFIX}${JSON.stringify(event)}\n`;
}

/** Decodes a stdout line, or `undefined` if it is not an event. */
export function decodeEvent(line: string): WorkerEvent | undefined {
  if (!line.startsWith(PREFIX)) return undefined;
  try {
    return JSON.parse(line.slice(PREFIX.length)) as WorkerEvent;
  } catch {
    return undefined;
  }
}
