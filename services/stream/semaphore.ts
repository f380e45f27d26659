/** At most `limit` holders at once; the others wait in order. */
export function createSemaphore(limit: number) {
  let held = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else held -= 1;
  };
  return {
    /** Resolves with a release function, or undefined when `signal` aborts first. */
    async acquire(signal: AbortSignal): Promise<(() => void) | undefined> {
      if (signal.aborted) return undefined;
      if (held < limit) {
        held += 1;
        return once(release);
      }
      return new Promise((resolve) => {
        const grant = () => {
          signal.removeEventListener('abort', cancel);
          resolve(once(release));
        };
        const cancel = () => {
          const at = waiting.indexOf(grant);
          if (at >= 0) waiting.splice(at, 1);
          resolve(undefined);
        };
        waiting.push(grant);
        signal.addEventListener('abort', cancel, { once: true });
      });
    },
  };
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
