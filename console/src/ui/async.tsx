import { useEffect, useState } from 'preact/hooks';
import { connectivity } from '../api/connectivity.js';
import { useStore } from '../lib/store.js';

export type Loaded<T> =
  | { state: 'loading'; value?: T | undefined }
  | { state: 'ready'; value: T }
  | { state: 'failed'; error: unknown; value?: T | undefined };

/**
 * Loads data for a view, again when `deps` change and when the API comes back after being
 * unreachable; keeps the last value while reloading. `reload` loads again on demand.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): [Loaded<T>, () => void] {
  const { generation } = useStore(connectivity);
  const [tick, setTick] = useState(0);
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  // Dependencies: the caller's deps decide when to load again
  useEffect(() => {
    const controller = new AbortController();
    setResult((previous) => ({ state: 'loading', value: previous.value }));
    load(controller.signal).then(
      (value) => {
        if (!controller.signal.aborted) setResult({ state: 'ready', value });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setResult((previous) => ({ state: 'failed', error, value: previous.value }));
      },
    );
    return () => controller.abort();
  }, [...deps, generation, tick]);
  return [result, () => setTick((n) => n + 1)];
}
