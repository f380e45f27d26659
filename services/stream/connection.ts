import type { ServerResponse } from 'node:http';
import { EventBuffer, type Session } from 'better-sse';
import type { EventCategory } from '../../core/events/categories.js';
import type { TypeFilter } from '../../core/events/type-filter.js';
import { decodeCursor, dominates, encodeCursor, maxPositions, type StreamPositions } from './cursor.js';
import type { FeedClient, FeedEvent } from './hub.js';
import type { ResourceValues } from './matcher.js';
import type { StreamMetrics } from './metrics.js';

export interface StreamConnectionOptions {
  organizationId: string;
  filter: TypeFilter;
  resources: ResourceValues;
  /** The categories the stream reads, as a cursor mask. */
  mask: number;
  session: Session;
  response: ServerResponse;
  /** Bytes unsent in the socket, or held while catching up, before the client is cut off. */
  maxBufferedBytes: number;
  dedupWindowMs: number;
  dedupMaxIds: number;
  metrics: StreamMetrics;
  /** Called once when the connection ends for any reason. */
  onClose: () => void;
}

interface Held {
  category: EventCategory;
  partition: number;
  offset: number;
  id: string;
  type: string;
  json: string;
  cursor: string;
}

/**
 * One client: its filters (as the hub's matcher reads them), a bounded buffer and its cursor.
 * While it catches up from Kafka, events of the live feed are held (up to `maxBufferedBytes`);
 * then held events below the catch-up's end are dropped and the rest sent, so the hand-over has
 * no gap and no duplicate. A client whose socket backs up past `maxBufferedBytes` is cut off.
 */
export class StreamConnection implements FeedClient {
  readonly organizationId: string;
  readonly filter: TypeFilter;
  readonly resources: ResourceValues;
  readonly mask: number;
  private mode: 'catching-up' | 'live' | 'closed' = 'catching-up';
  private held: Held[] = [];
  private heldBytes = 0;
  /** Positions this client has already passed that the feed may not have (a cursor from a faster process). */
  private floor: StreamPositions | undefined;
  /** Ids sent recently (created with the first frame: idle connections keep none). */
  private recent: Map<string, number> | undefined;

  constructor(private readonly options: StreamConnectionOptions) {
    this.organizationId = options.organizationId;
    this.filter = options.filter;
    this.resources = options.resources;
    this.mask = options.mask;
    options.session.once('disconnected', () => this.close());
  }

  get closed(): boolean {
    return this.mode === 'closed';
  }

  /** From the hub, synchronously: send now, or hold while catching up. */
  offer(event: FeedEvent): void {
    if (this.mode === 'closed') return;
    const item: Held = {
      category: event.category,
      partition: event.partition,
      offset: event.offset,
      id: event.event.id,
      type: event.event.type,
      json: event.json(),
      cursor: event.cursor(this.mask),
    };
    if (this.mode === 'catching-up') {
      this.held.push(item);
      this.heldBytes += item.json.length + item.cursor.length;
      if (this.heldBytes > this.options.maxBufferedBytes) this.cutOff('catch_up_buffer');
      return;
    }
    this.sendHeld(item, this.options.metrics.framesSent.labels('live'));
  }

  /** A catch-up event; resolves when the socket has room again (or the client is gone). */
  async sendCatchUp(id: string, type: string, json: string, progress: StreamPositions): Promise<void> {
    if (this.mode !== 'catching-up') return;
    if (!this.write(id, type, json, encodeCursor(progress, this.mask), false)) return;
    this.options.metrics.framesSent.labels('catch_up').inc();
    const { response } = this.options;
    if (response.writableLength > this.options.maxBufferedBytes) {
      await new Promise<void>((resolve) => {
        const done = () => {
          response.off('drain', done);
          response.off('close', done);
          resolve();
        };
        response.on('drain', done);
        response.on('close', done);
      });
    }
  }

  /**
   * An `id:`-only frame: the stream's position before its first event. EventSource (and the SDK)
   * keep it as the last event id, so a client that drops before any event resumes without a gap.
   */
  announce(positions: StreamPositions): void {
    if (this.mode !== 'closed')
      void this.options.session
        .batch(new EventBuffer().id(encodeCursor(positions, this.mask)).dispatch())
        .catch(() => undefined);
  }

  comment(text: string): void {
    // An EventBuffer instance (not a callback) is written synchronously, in order with the frames.
    if (this.mode !== 'closed')
      void this.options.session.batch(new EventBuffer().comment(text).dispatch()).catch(() => undefined);
  }

  /** The catch-up is done at `progress`: send what the feed handed over meanwhile, and go live. */
  goLive(progress: StreamPositions | undefined, feedPositions: StreamPositions): void {
    if (this.mode !== 'catching-up') return;
    this.mode = 'live';
    // Held events carry the feed's positions of their time, which may be behind the catch-up's
    // end where a cursor from a faster process was ahead: frames carry the maximum of both.
    if (progress) this.floor = progress;
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    const counter = this.options.metrics.framesSent.labels('live');
    for (const item of held) if (!this.sendHeld(item, counter)) return;
    if (this.floor && dominates(feedPositions, this.floor)) this.floor = undefined;
  }

  private sendHeld(item: Held, counter: { inc(): void }): boolean {
    let cursor = item.cursor;
    if (this.floor) {
      if (item.offset < (this.floor.get(item.category)?.[item.partition] ?? 0)) return true;
      const feed = decodeCursor(cursor)!;
      if (dominates(feed, this.floor)) this.floor = undefined;
      else cursor = encodeCursor(maxPositions(feed, this.floor), this.mask);
    }
    if (!this.write(item.id, item.type, item.json, cursor, true)) return false;
    counter.inc();
    return true;
  }

  /** Writes one frame unless it repeats an id sent within the dedup window; false once cut off. */
  private write(id: string, type: string, json: string, cursor: string, cutWhenFull: boolean): boolean {
    const now = Date.now();
    const recent = (this.recent ??= new Map());
    const seenAt = recent.get(id);
    if (seenAt !== undefined && now - seenAt <= this.options.dedupWindowMs) return true;
    if (this.options.dedupMaxIds > 0) {
      recent.delete(id);
      recent.set(id, now);
      // Oldest first (insertion order): drop beyond the cap and past the window.
      for (const [oldId, at] of recent) {
        if (recent.size <= this.options.dedupMaxIds && now - at <= this.options.dedupWindowMs) break;
        recent.delete(oldId);
      }
    }
    try {
      this.options.session.push(json, type, cursor);
    } catch {
      this.close();
      return false;
    }
    if (cutWhenFull && this.options.response.writableLength > this.options.maxBufferedBytes) {
      this.cutOff('socket_buffer');
      return false;
    }
    return true;
  }

  private cutOff(reason: 'socket_buffer' | 'catch_up_buffer'): void {
    if (this.mode === 'closed') return;
    this.options.metrics.cutOff.labels(reason).inc();
    this.close();
    // The client stopped reading: nothing more can reach it, so drop the socket and its buffers now.
    this.options.response.destroy();
  }

  /** Ends the connection: `retryMs` sends a reconnection hint first (shutdown). */
  end(retryMs?: number): void {
    if (this.mode === 'closed') return;
    const { session, response } = this.options;
    if (retryMs !== undefined && session.isConnected) {
      void session
        .batch(new EventBuffer().comment('server shutting down: reconnect').dispatch().retry(retryMs).dispatch())
        .catch(() => undefined);
    }
    this.close();
    response.end();
  }

  close(): void {
    if (this.mode === 'closed') return;
    this.mode = 'closed';
    this.held = [];
    this.recent = undefined;
    this.options.onClose();
  }
}
