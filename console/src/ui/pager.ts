import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { connectivity } from '../api/connectivity.js';
import type { Page } from '../api/types.js';
import { useStore } from '../lib/store.js';

export interface Pager<T> {
  items: T[];
  hasMore: boolean;
  loading: boolean;
  error: unknown;
  /** Loads the next page (no-op while one is loading or when none is left). */
  more(): void;
}

/**
 * Pages through a cursor-paginated list (`{data, has_more, next_cursor}`): the first page when
 * `key` changes (replacing what was shown once it arrives), each next one on `more()`. A page that failed (e.g. the API unreachable) is
 * fetched again when the API is back.
 */
export function usePager<T>(
  key: string,
  fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>,
): Pager<T> {
  const { generation } = useStore(connectivity);
  const [items, setItems] = useState<T[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const cursor = useRef<string | undefined>(undefined);
  const busy = useRef(false);
  const controller = useRef<AbortController | null>(null);
  const fetcher = useRef(fetchPage);
  fetcher.current = fetchPage;
  const loaded = useRef(0);

  const load = useCallback((first: boolean) => {
    if (busy.current) return;
    busy.current = true;
    setLoading(true);
    setError(null);
    const signal = controller.current!.signal;
    fetcher.current(first ? undefined : cursor.current, signal).then(
      (page) => {
        if (signal.aborted) return;
        busy.current = false;
        cursor.current = page.next_cursor ?? undefined;
        loaded.current += 1;
        setItems((previous) => (first ? page.data : [...previous, ...page.data]));
        setHasMore(page.has_more);
        setLoading(false);
      },
      (failure: unknown) => {
        if (signal.aborted) return;
        busy.current = false;
        if (first) setItems([]);
        setError(failure);
        setLoading(false);
      },
    );
  }, []);

  // Dependencies: a new key starts over
  useEffect(() => {
    controller.current?.abort();
    controller.current = new AbortController();
    busy.current = false;
    cursor.current = undefined;
    loaded.current = 0;
    // The items shown stay until the new first page replaces them (no flicker on a refresh).
    setHasMore(false);
    load(true);
    return () => controller.current?.abort();
  }, [key]);

  // Dependencies: retry after the API came back
  useEffect(() => {
    if (generation > 0 && error) load(loaded.current === 0);
  }, [generation]);

  const more = useCallback(() => {
    if (loaded.current > 0) load(false);
  }, [load]);
  return { items, hasMore, loading, error, more };
}

/**
 * Calls `onVisible` when the element is in view or scrolls into it (infinite scroll's sentinel);
 * looked at again when `version` changes (a page was added and the sentinel may still show).
 */
export function useVisible(onVisible: () => void, enabled: boolean, version: number) {
  const ref = useRef<HTMLDivElement>(null);
  const callback = useRef(onVisible);
  callback.current = onVisible;
  useEffect(() => {
    const element = ref.current;
    if (!element || !enabled) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) callback.current();
      },
      { rootMargin: '400px 0px' },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [enabled, version]);
  return ref;
}
