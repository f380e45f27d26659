import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../paths.js';
import { ERROR_CODES } from './codes.js';
import { unknownEventType, ValidationError, validationCode } from './index.js';

describe('the error catalogue', () => {
  it('is documented in docs/api.md, code by code, with its status', () => {
    const doc = readFileSync(projectPath('docs', 'api.md'), 'utf8');
    for (const [code, { status }] of Object.entries(ERROR_CODES)) {
      expect(doc, `docs/api.md lacks a row for ${code}`).toMatch(new RegExp(`\\| \`${code}\` \\| ${status} \\|`));
    }
  });
});

describe('validationCode', () => {
  it('answers unknown_event_type only when every detail names an unknown event type', () => {
    const unknown = unknownEventType({ field: 'types', message: 'unknown event type "a.b"' });
    const other = { field: 'limit', message: 'must be a whole number from 1 to 1000' };
    expect(validationCode([unknown])).toBe('unknown_event_type');
    expect(validationCode([unknown, unknownEventType({ field: 'types[1]', message: '…' })])).toBe('unknown_event_type');
    expect(validationCode([unknown, other])).toBe('invalid_request');
    expect(validationCode([other])).toBe('invalid_request');
    expect(validationCode([])).toBe('invalid_request');
    // A copy is not marked: the mark belongs to the detail as it was made.
    expect(validationCode([{ ...unknown }])).toBe('invalid_request');
    expect(new ValidationError('x', [unknown]).code).toBe('unknown_event_type');
    expect(JSON.stringify(unknown)).toBe('{"field":"types","message":"unknown event type \\"a.b\\""}');
  });
});
