/**
 * Per-endpoint admission: at most `maxConcurrent` tasks of one endpoint run at once, and at most
 * `maxQueued` more wait for a slot. A task refused because its endpoint is saturated is the
 * caller's to park elsewhere (the durable retry store), so one slow or dead endpoint can never hold
 * the consumer or the other endpoints back.
 */
export interface EndpointQueues {
  /** Runs the task now or queues it; false (and nothing happens) when the endpoint is full. */
  submit(endpoint: string, task: () => Promise<void>): boolean;
  /** Resolves once nothing runs or waits. */
  idle(): Promise<void>;
}

export interface EndpointQueuesOptions {
  /** Most tasks of one endpoint running at once. */
  maxConcurrent: number;
  /** Most tasks of one endpoint waiting for a slot (beyond them, `submit` refuses). */
  maxQueued: number;
  /** Called with the totals over all endpoints whenever a task starts, waits or ends (metrics). */
  onChange?: (totals: { running: number; queued: number }) => void;
}

interface Lane {
  running: number;
  waiting: (() => Promise<void>)[];
}

export function createEndpointQueues({ maxConcurrent, maxQueued, onChange }: EndpointQueuesOptions): EndpointQueues {
  const lanes = new Map<string, Lane>();
  let totalRunning = 0;
  let totalQueued = 0;
  let idleWaiters: (() => void)[] = [];
  const changed = () => onChange?.({ running: totalRunning, queued: totalQueued });

  function start(endpoint: string, lane: Lane, task: () => Promise<void>): void {
    lane.running += 1;
    totalRunning += 1;
    changed();
    void Promise.resolve()
      .then(task)
      .catch(() => undefined)
      .finally(() => {
        lane.running -= 1;
        totalRunning -= 1;
        const next = lane.waiting.shift();
        if (next) {
          totalQueued -= 1;
          start(endpoint, lane, next);
        } else if (lane.running === 0) {
          lanes.delete(endpoint);
        }
        changed();
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
      changed();
      return true;
    },
    idle: () =>
      totalRunning === 0 && totalQueued === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve)),
  };
}
