import { describe, expect, it } from 'vitest';
import { eventLine, progressBar } from './output.js';

describe('progressBar', () => {
  it('fills in proportion', () => {
    expect(progressBar(0, 10, 10)).toBe('[----------] 0% 0/10');
    expect(progressBar(5, 10, 10)).toBe('[#####-----] 50% 5/10');
    expect(progressBar(10, 10, 10)).toBe('[##########] 100% 10/10');
  });

  it('shows an empty replay as done', () => {
    expect(progressBar(0, 0, 4)).toBe('[####] 100% 0/0');
  });
});

describe('eventLine', () => {
  it('shows time, type, id and a shortened payload', () => {
    const line = eventLine({ id: 'evt_1', type: 'session.completed', created_at: '2026-02-21T03:27:00.123Z', data: { text: 'x'.repeat(200) } });
    expect(line.startsWith('2026-02-21T03:27:00.123Z  session.completed')).toBe(true);
    expect(line.endsWith('...')).toBe(true);
  });
});
