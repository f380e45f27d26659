import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EventCatalog } from '../core/events/catalog.js';
import { loadEventCatalog } from '../core/events/catalog.js';
import { PYTHON_MODELS_PATH, renderPythonModels } from './codegen-python-models.js';

/** A catalogue of one made-up type whose data has the given fields. */
function catalogOf(fields: unknown[], type = 'system.thing.happened'): EventCatalog {
  const entry = {
    type,
    category: 'system',
    resourceKey: 'id',
    recordName: 'x',
    description: 'A thing happened.',
    schema: { fields: [{ name: 'data', type: { type: 'record', name: 'ThingData', fields } }] },
  };
  return { types: [type], get: () => undefined, entries: () => [entry], typesOfCategory: () => [] } as never;
}

describe('generated Python event models', () => {
  it('match the schemas (run `npx tsx scripts/codegen-python-models.ts` after changing a schema)', () => {
    expect(readFileSync(PYTHON_MODELS_PATH, 'utf8')).toBe(renderPythonModels(loadEventCatalog()));
  });

  it('have a Data and an Event class for every type of the catalogue, in EVENT_MODELS', () => {
    const text = renderPythonModels(loadEventCatalog());
    for (const type of loadEventCatalog().types) {
      const name = type
        .split('.')
        .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
        .join('');
      expect(text).toContain(`class ${name}Data(EventData):`);
      expect(text).toContain(`class ${name}Event(Event[${name}Data]):`);
      expect(text).toContain(`    type: Literal["${type}"] = "${type}"`);
      expect(text).toContain(`    "${type}": ${name}Event,`);
    }
  });

  it('type each Avro shape as the JSON API shows it', () => {
    const text = renderPythonModels(
      catalogOf([
        { name: 'count', type: 'long', doc: 'How many.' },
        { name: 'ratio', type: 'double' },
        { name: 'note', type: ['null', 'string'], default: null },
        { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
        { name: 'day', type: { type: 'int', logicalType: 'date' } },
        { name: 'value', type: { type: 'string', logicalType: 'json' } },
        { name: 'level', type: { type: 'enum', name: 'Level', symbols: ['low', 'high'] } },
        { name: 'tags', type: { type: 'array', items: 'string' }, default: [] },
        { name: 'flag', type: 'boolean', default: false },
        {
          name: 'parts',
          type: {
            type: 'map',
            values: { type: 'record', name: 'Part', doc: 'One part.', fields: [{ name: 'n', type: 'int' }] },
          },
        },
      ]),
    );
    expect(text).toContain(
      [
        'class SystemThingHappenedData(EventData):',
        '    """The data of `system.thing.happened`: A thing happened."""',
        '',
        '    EVENT_TYPE: ClassVar[str] = "system.thing.happened"',
        '',
        '    count: int',
        '    """How many."""',
        '    ratio: float',
        '    note: str | None = None',
        '    at: datetime.datetime',
        '    day: datetime.date',
        '    value: Any',
        '    level: Literal["low", "high"]',
        '    tags: list[str] = []',
        '    flag: bool = False',
        '    parts: dict[str, Part]',
      ].join('\n'),
    );
    // A nested record is a class of its own, written before the class that uses it.
    expect(text.indexOf('class Part(Record):')).toBeGreaterThan(-1);
    expect(text.indexOf('class Part(Record):')).toBeLessThan(text.indexOf('class SystemThingHappenedData'));
    expect(text).toContain('from .base import Event, EventData, Record\n');
  });

  it('renames fields Python or pydantic reserve, keeping their JSON name as the alias', () => {
    const text = renderPythonModels(
      catalogOf([
        { name: 'from', type: 'string' },
        { name: 'json', type: ['null', 'string'], default: null },
      ]),
    );
    expect(text).toContain('    from_: str = Field(alias="from")');
    expect(text).toContain('    json_: str | None = Field(default=None, alias="json")');
    expect(text).toContain('from pydantic import Field\n');
  });

  it('refuses two different records of one name', () => {
    const part = (type: string) => ({ type: 'record', name: 'Part', fields: [{ name: 'n', type }] });
    expect(() =>
      renderPythonModels(
        catalogOf([
          { name: 'a', type: part('int') },
          { name: 'b', type: { type: 'array', items: part('string') } },
        ]),
      ),
    ).toThrow(/two different records are named Part/);
  });
});
