// How the CLI prints: human-readable lines by default, JSON with --json (one document per result,
// or one JSON line per event for streams).

export interface Output {
  json: boolean;
  /** A command's result: JSON with --json, else the human text. */
  result(value: unknown, human: () => string): void;
  /** A note for the person at the terminal (on standard error, so standard output stays data). */
  info(text: string): void;
  /** A progress line: redrawn in place on a terminal, a new line per change otherwise; none with --json. */
  progress(text: string, done: boolean): void;
  error(text: string): void;
}

export function createOutput(
  json: boolean,
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr,
): Output {
  let lastProgress = '';
  return {
    json,
    result(value, human) {
      out.write(json ? `${JSON.stringify(value)}\n` : `${human()}\n`);
    },
    info(text) {
      err.write(`${text}\n`);
    },
    progress(text, done) {
      if (json || text === lastProgress) return;
      lastProgress = text;
      if (err.isTTY) err.write(`\r${text}   ${done ? '\n' : ''}`);
      else err.write(`${text}\n`);
    },
    error(text) {
      err.write(`${text}\n`);
    },
  };
}

/** `2026-02-21T03:27:00.123Z  session.completed  evt_…  {"session_id":…}` */
export function eventLine(event: { id: string; type: string; created_at: string; data: unknown }): string {
  const data = JSON.stringify(event.data);
  return `${event.created_at}  ${event.type.padEnd(28)}  ${event.id}  ${data.length > 120 ? `${data.slice(0, 117)}...` : data}`;
}

/** A one-line progress bar: `[#########-----------] 45% 450/1000`. */
export function progressBar(done: number, total: number, width = 30): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(ratio * 100)}% ${done}/${total}`;
}
