import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventCatalog } from '../../core/events/catalog.js';
import { createEventCodec } from '../../core/events/codec.js';
import { projectPath } from '../../core/paths.js';
import { createSchemaRegistry } from '../../core/registry/client.js';
import { createRegistryHttp, SchemaRegistryError } from '../../core/registry/http.js';
import { SCHEMA_COMPATIBILITY, subjectFor } from '../../core/registry/subjects.js';
import { testConfig, uniqueOrganization } from '../support/config.js';

const config = testConfig();
const registryHttp = createRegistryHttp(config.schemaRegistry);

const record = (fields: object[]) =>
  JSON.stringify({ type: 'record', name: 'Thing', namespace: 'test.governance', fields });
const v1 = record([
  { name: 'id', type: 'string' },
  { name: 'count', type: 'int' },
]);

async function refusal(attempt: Promise<unknown>): Promise<SchemaRegistryError> {
  try {
    await attempt;
  } catch (error) {
    if (error instanceof SchemaRegistryError) return error;
    throw error;
  }
  throw new Error('the registry accepted an incompatible schema');
}

describe('schema governance', () => {
  it('registers every event schema under BACKWARD_TRANSITIVE', async () => {
    const catalog = eventCatalog();
    await createEventCodec({ catalog, registry: createSchemaRegistry(config.schemaRegistry), registryHttp }).init();
    for (const entry of catalog.entries()) {
      expect(await registryHttp.getCompatibility(subjectFor(entry)), entry.type).toBe(SCHEMA_COMPATIBILITY);
    }
  });

  it('refuses an incompatible change with a clear message and accepts a compatible one', async () => {
    const subject = `events.test-${uniqueOrganization('governance')}.Thing`;
    const id1 = await registryHttp.register(subject, v1);
    await registryHttp.setCompatibility(subject, SCHEMA_COMPATIBILITY);

    // A new required field without a default cannot read data written with v1.
    const incompatible = record([
      { name: 'id', type: 'string' },
      { name: 'count', type: 'int' },
      { name: 'owner', type: 'string' },
    ]);
    expect(await registryHttp.testCompatibility(subject, incompatible)).toBe(false);
    const error = await refusal(registryHttp.register(subject, incompatible));
    expect(error.registryStatus).toBe(409);
    expect(error.message).toMatch(/incompatible/i);

    // A changed type is refused too.
    const retyped = record([
      { name: 'id', type: 'string' },
      { name: 'count', type: 'string' },
    ]);
    expect((await refusal(registryHttp.register(subject, retyped))).registryStatus).toBe(409);

    // A nullable field with a default is a compatible change.
    const compatible = record([
      { name: 'id', type: 'string' },
      { name: 'count', type: 'int' },
      { name: 'note', type: ['null', 'string'], default: null },
    ]);
    expect(await registryHttp.testCompatibility(subject, compatible)).toBe(true);
    const id2 = await registryHttp.register(subject, compatible);
    expect(id2).not.toBe(id1);
  });

  it('accepts a required field made optional (nullable, default null), as agent.created did', async () => {
    const subject = `events.test-${uniqueOrganization('optional')}.Thing`;
    await registryHttp.register(subject, v1);
    await registryHttp.setCompatibility(subject, SCHEMA_COMPATIBILITY);
    const optional = record([
      { name: 'id', type: 'string' },
      { name: 'count', type: ['null', 'int'], default: null },
    ]);
    expect(await registryHttp.testCompatibility(subject, optional)).toBe(true);
    // The way back is refused: data written without a count cannot be read as a required one.
    const back = `events.test-${uniqueOrganization('optional_back')}.Thing`;
    await registryHttp.register(back, optional);
    await registryHttp.setCompatibility(back, SCHEMA_COMPATIBILITY);
    expect((await refusal(registryHttp.register(back, v1))).registryStatus).toBe(409);
  });

  it('checks transitively: a version must read every earlier one, not just the latest', async () => {
    const subject = `events.test-${uniqueOrganization('transitive')}.Thing`;
    await registryHttp.register(subject, v1);
    await registryHttp.setCompatibility(subject, SCHEMA_COMPATIBILITY);
    // v2 drops `count`: readers of v2 ignore it in v1 data (compatible with v1).
    const v2 = record([{ name: 'id', type: 'string' }]);
    await registryHttp.register(subject, v2);
    // v3 brings `count` back as a string with a default: it reads v2 data (no count: default),
    // but not v1 data, whose `count` is an int. Only a transitive check sees that.
    const v3 = record([
      { name: 'id', type: 'string' },
      { name: 'count', type: 'string', default: '' },
    ]);
    expect((await refusal(registryHttp.register(subject, v3))).registryStatus).toBe(409);
  });

  it('reports a breaking change to a real event schema as incompatible (checked, never registered)', async () => {
    const schema = JSON.parse(readFileSync(projectPath('schemas', 'session', 'session.completed.avsc'), 'utf8')) as {
      fields: { name: string; type: { fields: object[] } }[];
    };
    const data = schema.fields.find((field) => field.name === 'data')!;
    data.type.fields.push({ name: 'cost_usd', type: 'double' });
    const entry = eventCatalog().get('session.completed')!;
    expect(await registryHttp.testCompatibility(subjectFor(entry), JSON.stringify(schema))).toBe(false);
  });
});
