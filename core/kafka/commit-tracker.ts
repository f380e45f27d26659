/**
 * Which offset of each partition may be committed when records are handled out of order: each
 * record read carries units of work (the dispatcher: its deliveries, settled when done, failed for
 * good or parked; the sink: one insert for the first record of a Kafka batch), and the offset
 * after a record is committed only once the record and every one before it are settled. The
 * committable offset is the first record still open, or the one after the last record seen.
 */
export interface CommitTracker {
  /**
   * A record read with `units` units of work to settle (0 settles it at once). Returns a function
   * that settles one unit of this very read: once the partition was given away (`retain`), it
   * settles nothing, even if the partition came back and the record was read again.
   */
  add(topic: string, partition: number, offset: string, units: number): () => void;
  /** Offsets (the next to read) that moved since the last call, per topic and partition. */
  takeCommittable(): { topic: string; partition: number; offset: string }[];
  /** Forgets partitions this process no longer owns. */
  retain(owned: (topic: string, partition: number) => boolean): void;
  /** Units not yet settled, over every partition. */
  openUnits(): number;
}

// Offsets as numbers: exact up to 2^53 records in one partition, and a number key is much cheaper
// to hash than a bigint on a path taken once per record.
interface PartitionState {
  topic: string;
  partition: number;
  /** Open records in offset order, with how many of their units are unsettled. */
  order: number[];
  open: Map<number, number>;
  nextAfterLast: number;
  committed: number;
}

/** The settle of a read with nothing to settle (most records of the dispatcher, every record but a batch's first of the sink). */
const SETTLED = () => {};

export function createCommitTracker(): CommitTracker {
  const partitions = new Map<string, PartitionState>();
  let unsettled = 0;
  const keyOf = (topic: string, partition: number) => `${topic}\u0000${partition}`;

  function state(topic: string, partition: number): PartitionState {
    const key = keyOf(topic, partition);
    let found = partitions.get(key);
    if (!found) {
      found = { topic, partition, order: [], open: new Map(), nextAfterLast: -1, committed: -1 };
      partitions.set(key, found);
    }
    return found;
  }

  function settleIn(p: PartitionState, value: number): void {
    // A state dropped by retain() is no longer in the map: its late settles change nothing.
    if (partitions.get(keyOf(p.topic, p.partition)) !== p) return;
    const left = p.open.get(value);
    if (left === undefined) return;
    unsettled -= 1;
    if (left <= 1) p.open.delete(value);
    else p.open.set(value, left - 1);
  }

  function committable(p: PartitionState): number {
    // Drop settled records from the front; the head (if any) is the first still open.
    let head = 0;
    while (head < p.order.length && !p.open.has(p.order[head]!)) head += 1;
    if (head > 0) p.order.splice(0, head);
    return p.order.length > 0 ? p.order[0]! : p.nextAfterLast;
  }

  return {
    add(topic, partition, offset, units) {
      const p = state(topic, partition);
      const value = Number(offset);
      if (value + 1 > p.nextAfterLast) p.nextAfterLast = value + 1;
      if (units <= 0) return SETTLED;
      const settleHere = () => settleIn(p, value);
      unsettled += units;
      const known = p.open.get(value);
      if (known !== undefined) {
        // Read again (a rebalance re-read from the last commit): its new units add up.
        p.open.set(value, known + units);
        return settleHere;
      }
      p.open.set(value, units);
      const last = p.order[p.order.length - 1];
      p.order.push(value);
      if (last !== undefined && value < last) p.order.sort((a, b) => a - b);
      return settleHere;
    },
    takeCommittable() {
      const out: { topic: string; partition: number; offset: string }[] = [];
      for (const p of partitions.values()) {
        const next = committable(p);
        if (next > p.committed && next >= 0) {
          p.committed = next;
          out.push({ topic: p.topic, partition: p.partition, offset: String(next) });
        }
      }
      return out;
    },
    retain(owned) {
      for (const [key, p] of partitions) {
        if (owned(p.topic, p.partition)) continue;
        for (const left of p.open.values()) unsettled -= left;
        partitions.delete(key);
      }
    },
    openUnits: () => unsettled,
  };
}
