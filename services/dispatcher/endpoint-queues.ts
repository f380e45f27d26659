/**
 * Per-endpoint admission: at most `maxConcurrent` tasks of one endpoint run at once, and at most
 * `maxQueued` more wait for a slot. A task refused because its endpoint is saturated is the
 * caller's to park elsewhere (the durable retry store), so one slow or dead endpoint can never hold
 * the consumer or the other endpoints back.
 */
export interface EndpointQueues {
  /** Runs the task now or queues it; false (and nothing happens) when the endpoint is full. */
  submit(endpoint: string, task: () => Promise<void>): boolean;
  /** True when a task of this endpoint would be refused right now. */
  isFull(endpoint: string): boolean;
  running(endpoint?: string): number;
  queued(endpoint?: string): number;
  /** Resolves once nothing runs or waits. */
  idle(): Promise<void>;
}

interface Lane {
  running: number;
  waiting: (() => Promise<void>)[];
}

export function createEndpointQueues({ maxConcurrent, maxQueued }: { maxConcurrent: number; maxQueued: number }): EndpointQueues {
  const lanes = new Map<string, Lane>();
  let totalRunning = 0;
  let totalQueued = 0;
  let idleWaiters: (() => void)[] = [];

  function start(endpoint: string, lane: Lane, task: () => Promise<void>): void {
    lane.running += 1;
    totalRunning += 1;
    void Promise.resolve().then(task).catch(() => undefined).finally(() => {
      lane.running -= 1;
      totalRunning -= 1;
      const next = lane.waiting.shift();
      if (next) {
        totalQueued -= 1;
        start(endpoint, lane, next);
      } else if (lane.running === 0) {
        lanes.delete(endpoint);
      }
      if (totalRunning === 0 && totalQueued === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    });
  }

  return {
    submit(endpoint, task) {
      let lane = lanes.get(endpoint);
      if (!lane) {
        lane = { running: 0, waiting: [] };
        lanes.set(endpoint, lane);
      }
      if (lane.running < maxConcurrent) {
        start(endpoint, lane, task);
        return true;
      }
      if (lane.waiting.length >= maxQueued) return false;
      lane.waiting.push(task);
      totalQueued += 1;
      return true;
    },
    isFull(endpoint) {
      const lane = lanes.get(endpoint);
      return !!lane && lane.running >= maxConcurrent && lane.waiting.length >= maxQueued;
    },
    running: (endpoint) => (endpoint === undefined ? totalRunning : lanes.get(endpoint)?.running ?? 0),
    queued: (endpoint) => (endpoint === undefined ? totalQueued : lanes.get(endpoint)?.waiting.length ?? 0),
    idle: () => (totalRunning === 0 && totalQueued === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve))),
  };
}
