/**
 * Collects items into batches that are flushed when `maxItems` or `maxBytes` is reached or
 * `lingerMs` has passed since the first item; each `add` resolves when its batch was handled.
 * At most `maxInFlight` batches are handled at once; the next one fills meanwhile.
 */
export interface BatcherOptions<T> {
  /** Longest wait for more items, in ms. Default 5. */
  lingerMs?: number;
  /** Most items in one batch. Default 1000. */
  maxItems?: number;
  /** Most bytes in one batch (by `sizeOf`). Default 1 MiB. */
  maxBytes?: number;
  /** Batches handled at once. Default 1. */
  maxInFlight?: number;
  sizeOf: (item: T) => number;
  handle: (items: T[]) => Promise<void>;
}

interface Pending<T> {
  items: T[];
  bytes: number;
  waiters: { resolve: () => void; reject: (error: unknown) => void }[];
}

export interface Batcher<T> {
  add(items: T[]): Promise<void>;
  /** Sends what is waiting now and resolves when everything added so far was handled. */
  flush(): Promise<void>;
}

export function createBatcher<T>(options: BatcherOptions<T>): Batcher<T> {
  const lingerMs = options.lingerMs ?? 5;
  const maxItems = options.maxItems ?? 1000;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const maxInFlight = options.maxInFlight ?? 1;

  let current: Pending<T> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const queue: Pending<T>[] = [];
  const inFlight = new Set<Promise<void>>();

  function pump(): void {
    while (inFlight.size < maxInFlight && queue.length > 0) {
      const batch = queue.shift()!;
      const run = options
        .handle(batch.items)
        .then(
          () =>
            batch.waiters.forEach((waiter) => {
              waiter.resolve();
            }),
          (error: unknown) =>
            batch.waiters.forEach((waiter) => {
              waiter.reject(error);
            }),
        )
        .finally(() => {
          inFlight.delete(run);
          pump();
        });
      inFlight.add(run);
    }
  }

  function seal(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!current) return;
    queue.push(current);
    current = undefined;
    pump();
  }

  return {
    add(items) {
      if (items.length === 0) return Promise.resolve();
      const promises: Promise<void>[] = [];
      let registeredOn: Pending<T> | undefined;
      for (const item of items) {
        const size = options.sizeOf(item);
        if (current && (current.items.length >= maxItems || current.bytes + size > maxBytes)) seal();
        if (!current) {
          current = { items: [], bytes: 0, waiters: [] };
          timer = setTimeout(seal, lingerMs);
        }
        current.items.push(item);
        current.bytes += size;
        // One waiter per batch this call puts items in.
        if (registeredOn !== current) {
          const batch = current;
          promises.push(new Promise<void>((resolve, reject) => batch.waiters.push({ resolve, reject })));
          registeredOn = batch;
        }
      }
      if (current && current.items.length >= maxItems) seal();
      return Promise.all(promises).then(() => undefined);
    },
    async flush() {
      seal();
      while (queue.length > 0 || inFlight.size > 0) {
        await Promise.allSettled([...inFlight]);
      }
    },
  };
}
