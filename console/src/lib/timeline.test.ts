import { describe, expect, it } from 'vitest';
import { axisTicks, buildTimeline, placeOnAxis } from './timeline.js';

const at = (seconds: number) => new Date(Date.UTC(2026, 1, 21, 3, 0, seconds)).toISOString();

describe('session timeline', () => {
  it('orders the steps, places them by duration and reads the outcome', () => {
    const timeline = buildTimeline([
      {
        id: 'e4',
        type: 'session.failed',
        created_at: at(9),
        data: { error_code: 'timeout', error_message: 'Too slow', agent_id: 'agent_1' },
      },
      {
        id: 'e3',
        type: 'session.step.completed',
        created_at: at(8),
        data: { step_number: 2, step_type: 'tool_call', tool: 'web_search', duration_ms: 3000 },
      },
      {
        id: 'e1',
        type: 'session.started',
        created_at: at(0),
        data: { agent_id: 'agent_1', goal: 'Research', model: 'gpt' },
      },
      {
        id: 'e2',
        type: 'session.step.completed',
        created_at: at(4),
        data: { step_number: 1, step_type: 'reasoning', tool: null, duration_ms: 2000 },
      },
    ]);
    expect(timeline.steps.map((step) => [step.number, step.kind, step.tool, step.durationMs])).toEqual([
      [1, 'reasoning', null, 2000],
      [2, 'tool_call', 'web_search', 3000],
    ]);
    expect(timeline.steps[1]!.startMs).toBe(Date.parse(at(5)));
    expect(timeline).toMatchObject({
      outcome: 'failed',
      outcomeDetail: 'timeout: Too slow',
      agentId: 'agent_1',
      goal: 'Research',
      startMs: Date.parse(at(0)),
      endMs: Date.parse(at(9)),
    });
    expect(timeline.events.map((event) => event.id)).toEqual(['e1', 'e2', 'e3', 'e4']);
    expect(placeOnAxis(timeline, Date.parse(at(5)), Date.parse(at(8)))).toEqual({
      left: (5 / 9) * 100,
      width: (3 / 9) * 100,
    });
  });

  it('is running until the session ends, and ticks are round', () => {
    expect(buildTimeline([]).outcome).toBe('running');
    expect(axisTicks(9000)).toEqual([0, 2000, 4000, 6000, 8000]);
    expect(axisTicks(250)).toEqual([0, 50, 100, 150, 200, 250]);
  });
});
