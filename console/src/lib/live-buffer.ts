/** What the live page keeps of each event: the event and when it arrived (ms). */
export interface Arrival<E extends { id: string; created_at: string }> {
  event: E;
  receivedAt: number;
}

/**
 * The live page's events, newest first (by `created_at`, then arrival), at most `capacity` of
 * them. An id seen before is dropped (a resume may send again what came just before the cut, and
 * a gap filled from history what the stream sent), remembered for `capacity * 4` ids.
 */
export class LiveBuffer<E extends { id: string; created_at: string }> {
  private items: Arrival<E>[] = [];
  private readonly seen = new Set<string>();
  private readonly order: string[] = [];

  constructor(private readonly capacity = 500) {}

  /** Adds events in arrival order; answers how many were new. */
  add(events: readonly E[], receivedAt = Date.now()): number {
    const fresh: Arrival<E>[] = [];
    for (const event of events) {
      if (this.seen.has(event.id)) continue;
      this.seen.add(event.id);
      this.order.push(event.id);
      fresh.push({ event, receivedAt });
    }
    while (this.order.length > this.capacity * 4) this.seen.delete(this.order.shift()!);
    if (fresh.length)
      this.items = [...fresh.reverse(), ...this.items]
        .sort((a, b) =>
          a.event.created_at < b.event.created_at ? 1 : a.event.created_at > b.event.created_at ? -1 : 0,
        )
        .slice(0, this.capacity);
    return fresh.length;
  }

  /** Newest first. */
  get list(): readonly Arrival<E>[] {
    return this.items;
  }

  clear(): void {
    this.items = [];
    this.seen.clear();
    this.order.length = 0;
  }
}
