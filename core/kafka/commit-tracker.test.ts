import { describe, expect, it } from 'vitest';
import { createCommitTracker } from './commit-tracker.js';

describe('commit tracker', () => {
  it('commits past records without deliveries at once', () => {
    const tracker = createCommitTracker();
    tracker.add('t', 0, '10', 0);
    tracker.add('t', 0, '11', 0);
    expect(tracker.takeCommittable()).toEqual([{ topic: 't', partition: 0, offset: '12' }]);
    expect(tracker.takeCommittable()).toEqual([]);
  });

  it('holds the commit at the first record with an unsettled delivery, whatever settles after it', () => {
    const tracker = createCommitTracker();
    const settle5 = tracker.add('t', 0, '5', 2);
    const settle6 = tracker.add('t', 0, '6', 1);
    tracker.add('t', 0, '7', 0);
    expect(tracker.takeCommittable()).toEqual([{ topic: 't', partition: 0, offset: '5' }]);
    settle6();
    settle5();
    expect(tracker.takeCommittable()).toEqual([]);
    expect(tracker.openUnits()).toBe(1);
    settle5();
    expect(tracker.takeCommittable()).toEqual([{ topic: 't', partition: 0, offset: '8' }]);
    expect(tracker.openUnits()).toBe(0);
  });

  it('keeps partitions apart and forgets the ones given away', () => {
    const tracker = createCommitTracker();
    tracker.add('a', 0, '1', 1);
    tracker.add('a', 1, '1', 0);
    const settleB = tracker.add('b', 0, '3', 1);
    expect(
      tracker.takeCommittable().sort((x, y) => (x.topic + x.partition).localeCompare(y.topic + y.partition)),
    ).toEqual([
      { topic: 'a', partition: 0, offset: '1' },
      { topic: 'a', partition: 1, offset: '2' },
      { topic: 'b', partition: 0, offset: '3' },
    ]);
    tracker.retain((topic) => topic === 'a');
    expect(tracker.openUnits()).toBe(1);
    settleB();
    expect(tracker.openUnits()).toBe(1);
  });

  it('copes with a partition read again from an earlier offset', () => {
    const tracker = createCommitTracker();
    const settle10 = tracker.add('t', 0, '10', 1);
    const settle11 = tracker.add('t', 0, '11', 1);
    settle10();
    // Read again while its partition stayed here (no retain in between): the units add up.
    const settle10Again = tracker.add('t', 0, '10', 1);
    settle11();
    expect(tracker.takeCommittable()).toEqual([{ topic: 't', partition: 0, offset: '10' }]);
    settle10Again();
    expect(tracker.takeCommittable()).toEqual([{ topic: 't', partition: 0, offset: '12' }]);
  });

  it('ignores a late settle of a read made before the partition was given away and came back', () => {
    const tracker = createCommitTracker();
    // Records 10..19 read as one unit, then the partition moves away while their insert runs.
    const settleOld = tracker.add('t', 0, '10', 1);
    tracker.add('t', 0, '19', 0);
    tracker.retain(() => false);
    // It comes back; records 10..29 are read again from the last commit, still to be stored.
    tracker.add('t', 0, '10', 1);
    tracker.add('t', 0, '29', 0);
    settleOld();
    // The old insert covered 10..19 only: nothing may be committed past 10 yet.
    expect(tracker.takeCommittable()).toEqual([{ topic: 't', partition: 0, offset: '10' }]);
    expect(tracker.openUnits()).toBe(1);
  });
});
