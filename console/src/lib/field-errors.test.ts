import { describe, expect, it } from 'vitest';
import { errorsByField } from './field-errors.js';

describe('errorsByField', () => {
  it('puts each detail next to its field, keeping the precise name', () => {
    const details = [
      { field: 'types[1]', message: 'unknown event type "session.exploded"' },
      { field: 'until', message: 'must be after since' },
      { field: 'data.steps', message: 'must be a whole number' },
      { field: 'bogus', message: 'is not a parameter of GET /events' },
      { message: 'no field at all' },
    ];
    expect(errorsByField(details, ['types', 'since', 'until'])).toEqual({
      types: ['types[1]: unknown event type "session.exploded"'],
      until: ['must be after since'],
      '': ['data.steps: must be a whole number', 'bogus: is not a parameter of GET /events', 'no field at all'],
    });
  });
});
