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
    tracker.add('t', 0, '5', 2);
    tracker.add('t', 0, '6', 1);
    tracker.add('t', 0, '7', 0);
    expect(tracker.takeCommittable()).toEqual([{ topic: 't', partition: 0, offset: '5' }]);
    tracker.settle('t', 0, '6');
    tracker.settle('t', 0, '5');
    expect(tracker.takeCommittable()).toEqual([]);
    expect(tracker.openUnits()).toBe(1);
    tracker.settle('t', 0, '5');
    expect(tracker.takeCommittable()).toEqual([{ topic: 't', partition: 0, offset: '8' }]);
    expect(tracker.openUnits()).toBe(0);
  });

  it('keeps partitions apart and forgets the ones given away', () => {
    const tracker = createCommitTracker();
    tracker.add('a', 0, '1', 1);
    tracker.add('a', 1, '1', 0);
    tracker.add('b', 0, '3', 1);
    expect(tracker.takeCommittable().sort((x, y) => (x.topic + x.partition).localeCompare(y.topic + y.partition))).toEqual([
      { topic: 'a', partition: 0, offset: '1' }, { topic: 'a', partition: 1, offset: '2' }, { topic: 'b', partition: 0, offset: '3' },
    ]);
    tracker.retain((topic) => topic === 'a');
    expect(tracker.openUnits()).toBe(1);
    tracker.settle('b', 0, '3');
    expect(tracker.openUnits()).toBe(1);
  });

  it('copes with a partition read again from an earlier offset', () => {
    const tracker = createCommitTracker();
    tracker.add('t', 0, '10', 1);
    tracker.add('t', 0, '11', 1);
    tracker.settle('t', 0, '10');
    tracker.add('t', 0, '10', 1);
    tracker.settle('t', 0, '11');
    expect(tracker.takeCommittable()).toEqual([{ topic: 't', partition: 0, offset: '10' }]);
    tracker.settle('t', 0, '10');
    expect(tracker.takeCommittable()).toEqual([{ topic: 't', partition: 0, offset: '12' }]);
  });
});
