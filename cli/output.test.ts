import { describe, expect, it } from 'vitest';
import { createOutput, eventLine, progressBar } from './output.js';

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
    const line = eventLine({
      id: 'evt_1',
      type: 'session.completed',
      created_at: '2026-02-21T03:27:00.123Z',
      data: { text: 'x'.repeat(200) },
    });
    expect(line.startsWith('2026-02-21T03:27:00.123Z  session.completed')).toBe(true);
    expect(line.endsWith('...')).toBe(true);
  });
});

describe('createOutput', () => {
  const sink = (isTTY: boolean) => {
    const stream = {
      text: '',
      isTTY,
      write(chunk: string) {
        stream.text += chunk;
        return true;
      },
    };
    return stream;
  };

  it('keeps standard output for results and sends notes and progress to standard error', () => {
    const out = sink(false);
    const err = sink(false);
    const output = createOutput(false, out as never, err as never);
    output.result({ a: 1 }, () => 'human');
    output.info('note');
    output.progress('[--] 0%', false);
    output.progress('[--] 0%', false);
    output.progress('[##] 100%', true);
    expect(out.text).toBe('human\n');
    expect(err.text).toBe('note\n[--] 0%\n[##] 100%\n');
  });

  it('redraws progress in place on a terminal and prints none with --json', () => {
    const err = sink(true);
    const tty = createOutput(false, sink(false) as never, err as never);
    tty.progress('[--] 0%', false);
    tty.progress('[##] 100%', true);
    expect(err.text).toBe('\r[--] 0%   \r[##] 100%   \n');
    const out = sink(false);
    const jsonErr = sink(false);
    const json = createOutput(true, out as never, jsonErr as never);
    json.result({ a: 1 }, () => 'human');
    json.progress('[--] 0%', false);
    expect(out.text).toBe('{"a":1}\n');
    expect(jsonErr.text).toBe('');
  });
});
