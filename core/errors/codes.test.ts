import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../paths.js';
import { ERROR_CODES } from './codes.js';

describe('the error catalogue', () => {
  it('is documented in docs/api.md, code by code, with its status', () => {
    const doc = readFileSync(projectPath('docs', 'api.md'), 'utf8');
    for (const [code, { status }] of Object.entries(ERROR_CODES)) {
      expect(doc, `docs/api.md lacks a row for ${code}`).toMatch(new RegExp(`\\| \`${code}\` \\| ${status} \\|`));
    }
  });
});
