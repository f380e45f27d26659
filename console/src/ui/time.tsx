import { useEffect, useState } from 'preact/hooks';
import { formatRelative, formatTime } from '../lib/format.js';

/** Re-renders every `intervalMs` (relative times, progress). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** A time as `3 s ago`, the exact UTC time on hover and for assistive technology. */
export function Time({ iso, relative = true }: { iso: string | null | undefined; relative?: boolean }) {
  const now = useNow(relative ? 5000 : 3_600_000);
  if (!iso) return <span>–</span>;
  return (
    <time dateTime={iso} title={formatTime(iso)}>
      {relative ? formatRelative(iso, now) : formatTime(iso)}
    </time>
  );
}
