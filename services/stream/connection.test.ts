import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Session } from 'better-sse';
import { describe, expect, it } from 'vitest';
import { eventCatalog } from '../../core/events/catalog.js';
import type { EventCategory } from '../../core/events/categories.js';
import { resolveTypeFilter } from '../../core/events/type-filter.js';
import { createMetricsRegistry } from '../../core/metrics/registry.js';
import { StreamConnection } from './connection.js';
import { categoryMask, decodeCursor, encodeCursor, type StreamPositions } from './cursor.js';
import type { FeedEvent } from './hub.js';
import { streamMetrics } from './metrics.js';

const catalog = eventCatalog();
const mask = categoryMask(['session']);

function setup({ maxBufferedBytes = 1 << 20 } = {}) {
  const frames: { id: string; type: string; data: string }[] = [];
  const session = Object.assign(new EventEmitter(), {
    isConnected: true,
    push: (data: string, type: string, id: string) => {
      frames.push({ id, type, data });
    },
    batch: async () => undefined,
  }) as unknown as Session;
  const response = Object.assign(new EventEmitter(), {
    writableLength: 0,
    destroyed: false,
    destroy() {
      this.destroyed = true;
    },
    end() {},
  });
  let closed = 0;
  const connection = new StreamConnection({
    organizationId: 'org_a',
    filter: resolveTypeFilter(catalog, ['session.*']).filter!,
    resources: {},
    mask,
    session,
    response: response as unknown as ServerResponse,
    maxBufferedBytes,
    dedupWindowMs: 60_000,
    dedupMaxIds: 100,
    metrics: streamMetrics(createMetricsRegistry({ defaultMetrics: false })),
    onClose: () => {
      closed += 1;
    },
  });
  return { connection, frames, response, closed: () => closed };
}

/** A feed event at (partition, offset) whose cursor is the feed positions given. */
function feedEvent(partition: number, offset: number, feed: number[], id = `evt_p${partition}o${offset}`): FeedEvent {
  const event = {
    id,
    type: 'session.completed',
    created_at: '2026-02-21T03:27:00.123Z',
    data: { session_id: 's' },
    metadata: { organization_id: 'org_a', user_id: null, request_id: null },
  };
  return {
    category: 'session',
    partition,
    offset,
    event,
    json: () => JSON.stringify(event),
    cursor: (m) => encodeCursor(new Map([['session', feed]]), m),
  };
}

const positions = (offsets: number[]): StreamPositions => new Map<EventCategory, number[]>([['session', offsets]]);

describe('stream connection hand-over', () => {
  it('sends catch-up frames, then the held live events at or above the catch-up end, with no duplicate', async () => {
    const { connection, frames } = setup();
    // Attached at feed positions [10, 20]; the live feed hands over offsets 10 and 20 while catching up.
    connection.offer(feedEvent(0, 10, [11, 20]));
    connection.offer(feedEvent(1, 20, [11, 21]));
    await connection.sendCatchUp(
      'evt_p0o9',
      'session.completed',
      JSON.stringify({ id: 'evt_p0o9' }),
      positions([10, 20]),
    );
    connection.goLive(positions([10, 20]), positions([11, 21]));
    connection.offer(feedEvent(0, 11, [12, 21]));
    expect(frames.map((f) => JSON.parse(f.data).id)).toEqual(['evt_p0o9', 'evt_p0o10', 'evt_p1o20', 'evt_p0o11']);
    expect(frames.map((f) => decodeCursor(f.id)!.get('session'))).toEqual([
      [10, 20],
      [11, 20],
      [11, 21],
      [12, 21],
    ]);
  });

  it('skips live events below a cursor from a faster process, and never moves the cursor back', () => {
    const { connection, frames } = setup();
    // The client resumed at [15, 20] but this feed was at [10, 20]: offsets 10..14 of partition 0 were already sent.
    connection.offer(feedEvent(0, 12, [13, 20]));
    connection.goLive(positions([15, 20]), positions([13, 20]));
    connection.offer(feedEvent(1, 20, [13, 21]));
    connection.offer(feedEvent(0, 15, [16, 21]));
    connection.offer(feedEvent(1, 21, [16, 22]));
    expect(frames.map((f) => JSON.parse(f.data).id)).toEqual(['evt_p1o20', 'evt_p0o15', 'evt_p1o21']);
    expect(frames.map((f) => decodeCursor(f.id)!.get('session'))).toEqual([
      [15, 21],
      [16, 21],
      [16, 22],
    ]);
  });

  it('sends an id published twice once', () => {
    const { connection, frames } = setup();
    connection.goLive(undefined, positions([0, 0]));
    connection.offer(feedEvent(0, 1, [2, 0], 'evt_same'));
    connection.offer(feedEvent(0, 2, [3, 0], 'evt_same'));
    expect(frames).toHaveLength(1);
  });

  it('cuts off a client whose socket buffer passes the limit, or whose held events do', () => {
    const slow = setup({ maxBufferedBytes: 1024 });
    slow.connection.goLive(undefined, positions([0, 0]));
    slow.response.writableLength = 4096;
    slow.connection.offer(feedEvent(0, 1, [2, 0]));
    expect(slow.response.destroyed).toBe(true);
    expect(slow.closed()).toBe(1);
    slow.connection.offer(feedEvent(0, 2, [3, 0]));
    expect(slow.frames).toHaveLength(1);

    const catchingUp = setup({ maxBufferedBytes: 1024 });
    for (let offset = 0; offset < 20 && !catchingUp.response.destroyed; offset += 1)
      catchingUp.connection.offer(feedEvent(0, offset, [offset + 1, 0]));
    expect(catchingUp.response.destroyed).toBe(true);
    expect(catchingUp.frames).toHaveLength(0);
  });
});
