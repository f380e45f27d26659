import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadEventCatalog } from '../events/catalog.js';
import { projectPath } from '../paths.js';
import { resolveFilter } from './index.js';

const catalog = loadEventCatalog();
const manual = readFileSync(projectPath('docs', 'filters.md'), 'utf8');

describe('docs/filters.md', () => {
  it('shows filters that are accepted', () => {
    const examples = /```text\n([\s\S]*?)```/.exec(manual)![1]!.trim().split('\n');
    expect(examples.length).toBeGreaterThan(5);
    for (const example of examples) expect(resolveFilter(example, catalog).errors, example).toBeUndefined();
  });

  it('shows the errors filters really get', () => {
    const rows = [...manual.matchAll(/^\| `(.*?)`.* \| `(column \d+: .*)` \|$/gm)];
    expect(rows.length).toBeGreaterThan(10);
    for (const [, filter, message] of rows) expect(resolveFilter(filter!, catalog).errors?.[0]?.message).toBe(message);
  });
});
