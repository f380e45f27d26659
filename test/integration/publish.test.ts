import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUIDE_EXAMPLES } from '../../core/events/examples.js';
import { EVENT_HEADERS } from '../../core/producer/producer.js';
import { startTestApi, TEST_ADMIN_KEY, type TestApi } from '../support/api.js';
import { uniqueOrganization } from '../support/config.js';
import { readTopicFrom, topicEnds } from '../support/kafka.js';
import { withPartDown } from '../support/stack.js';

const org = uniqueOrganization('org_pub');
const otherOrg = uniqueOrganization('org_pub_other');
let t: TestApi;

beforeAll(async () => {
  t = await startTestApi({
    organizations: [org, otherOrg],
    env: { RG_API_MAX_BATCH: '50', RG_API_MAX_BODY_BYTES: '65536' },
  });
});
afterAll(async () => {
  await t?.stop();
});

/** Ends of every category topic, so a test reads only what it published. */
async function endsOf(categories: string[]) {
  return new Map(
    await Promise.all(categories.map(async (c) => [c, await topicEnds(t.platform.kafka, `events.${c}`)] as const)),
  );
}

describe('POST /api/v1/events', () => {
  it('publishes every example of the guide; each record is Avro in the Confluent wire format', async () => {
    const types = Object.keys(GUIDE_EXAMPLES);
    const categories = [...new Set(types.map((type) => type.split('.')[0]!))];
    const before = await endsOf(categories);

    const published = new Map<string, { type: string; created_at: string; data: unknown }>();
    for (const type of types) {
      const body = { type, data: GUIDE_EXAMPLES[type], metadata: { user_id: 'user_456', request_id: 'req_xyz' } };
      const res = await t.call('POST', '/api/v1/events', { body });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      expect(res.body.id).toMatch(/^evt_[0-9A-Z]{26}$/);
      expect(res.body.type).toBe(type);
      published.set(res.body.id, { type, created_at: res.body.created_at, data: GUIDE_EXAMPLES[type] });
    }

    const standard = new SchemaRegistry({ host: t.platform.config.schemaRegistry.url });
    for (const category of categories) {
      const expected = [...published].filter(([, p]) => p.type.startsWith(`${category}.`));
      const records = await readTopicFrom(t.platform.kafka, `events.${category}`, before.get(category)!, (rs) =>
        expected.every(([id]) => rs.some((r) => r.headers[EVENT_HEADERS.id] === id)),
      );
      for (const [id, sent] of expected) {
        const record = records.find((r) => r.headers[EVENT_HEADERS.id] === id)!;
        const entry = t.platform.catalog.get(sent.type)!;
        expect(record.value[0]).toBe(0);
        expect(record.value.readInt32BE(1)).toBe(t.platform.codec.schemaIdOf(sent.type));
        expect(record.key).toBe((sent.data as Record<string, unknown>)[entry.resourceKey]);
        expect(Number(record.timestamp)).toBe(Date.parse(sent.created_at));
        expect(record.headers[EVENT_HEADERS.type]).toBe(sent.type);
        expect(record.headers[EVENT_HEADERS.organization]).toBe(org);
        // No id was sent: the producer made it, and says so to the history sink.
        expect(record.headers[EVENT_HEADERS.idAssigned]).toBe('1');

        const decoded = await t.platform.codec.decode(record.value);
        expect(JSON.parse(JSON.stringify(decoded))).toEqual({
          id,
          type: sent.type,
          created_at: sent.created_at,
          data: normalize(sent.data as Record<string, unknown>, entry.schema),
          metadata: { organization_id: org, user_id: 'user_456', request_id: 'req_xyz' },
        });
        // Any standard Confluent deserializer reads the same record.
        const plain = await standard.decode(record.value);
        expect(plain.id).toBe(id);
        expect(plain.metadata.organization_id).toBe(org);
      }
    }
  });

  it('keeps the mixed values of `changes` exactly', async () => {
    const changes = {
      n: { old: 1, new: 2.5 },
      s: { old: null, new: 'x' },
      o: { old: { deep: [1, 'two', { three: true }] }, new: [] },
      b: { old: false, new: true },
    };
    const before = await topicEnds(t.platform.kafka, 'events.agent');
    const res = await t.call('POST', '/api/v1/events', {
      body: { type: 'agent.updated', data: { agent_id: 'agent_mixed', changes, updated_by: 'user_1' } },
    });
    expect(res.status).toBe(202);
    const records = await readTopicFrom(t.platform.kafka, 'events.agent', before, (rs) =>
      rs.some((r) => r.headers[EVENT_HEADERS.id] === res.body.id),
    );
    const found = records.find((r) => r.headers[EVENT_HEADERS.id] === res.body.id)!;
    const decoded = await t.platform.codec.decode(found.value);
    expect(JSON.parse(JSON.stringify(decoded.data.changes))).toEqual(changes);
  });

  it('publishes a batch and answers each id; a producer-supplied id and created_at are kept', async () => {
    const events = [
      {
        id: 'evt_01JMG3W6Q8Z3K6N1V9S2T4X7YB',
        type: 'session.started',
        created_at: '2026-02-21T03:27:00.123Z',
        data: GUIDE_EXAMPLES['session.started'],
      },
      { type: 'session.completed', data: GUIDE_EXAMPLES['session.completed'] },
    ];
    const res = await t.call('POST', '/api/v1/events', { body: { events } });
    expect(res.status).toBe(202);
    expect(res.body.data).toHaveLength(2);
    expect(res.body.data[0]).toEqual({
      id: 'evt_01JMG3W6Q8Z3K6N1V9S2T4X7YB',
      type: 'session.started',
      created_at: '2026-02-21T03:27:00.123Z',
    });
  });

  it('marks only the ids it made: a client-sent id may be sent again, so it is not marked', async () => {
    const before = await topicEnds(t.platform.kafka, 'events.agent');
    const id = `evt_${Date.now().toString(36).toUpperCase()}CLIENTSENT`;
    const res = await t.call('POST', '/api/v1/events', {
      body: { id, type: 'agent.created', data: GUIDE_EXAMPLES['agent.created'] },
    });
    expect(res.status).toBe(202);
    const records = await readTopicFrom(t.platform.kafka, 'events.agent', before, (rs) =>
      rs.some((r) => r.headers[EVENT_HEADERS.id] === id),
    );
    const record = records.find((r) => r.headers[EVENT_HEADERS.id] === id)!;
    expect(record.headers[EVENT_HEADERS.idAssigned]).toBeUndefined();
  });

  it('lets an admin key publish for any organization, which it must name', async () => {
    const ok = await t.call('POST', '/api/v1/events', {
      key: TEST_ADMIN_KEY,
      body: { type: 'user.login', data: GUIDE_EXAMPLES['user.login'], metadata: { organization_id: otherOrg } },
    });
    expect(ok.status).toBe(202);
    const missing = await t.call('POST', '/api/v1/events', {
      key: TEST_ADMIN_KEY,
      body: { type: 'user.login', data: GUIDE_EXAMPLES['user.login'] },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toContainEqual({
      field: 'metadata.organization_id',
      message: expect.stringMatching(/required/),
    });
  });

  it('keeps publishing while the schema registry restarts', async () => {
    await withPartDown('registry', async () => {
      const res = await t.call('POST', '/api/v1/events', {
        body: { type: 'team.task.completed', data: GUIDE_EXAMPLES['team.task.completed'] },
      });
      expect(res.status).toBe(202);
    });
  });
});

describe('POST /api/v1/events with bad input', () => {
  const valid = { type: 'session.completed', data: GUIDE_EXAMPLES['session.completed'] };
  const cases: [
    string,
    { body?: unknown; rawBody?: string; headers?: Record<string, string>; key?: string | null },
    number,
    string,
    string | undefined,
  ][] = [
    ['unknown type', { body: { ...valid, type: 'session.exploded' } }, 400, 'unknown_event_type', 'type'],
    [
      'missing field',
      { body: { ...valid, data: { ...GUIDE_EXAMPLES['session.completed'], steps: undefined } } },
      400,
      'invalid_request',
      'data.steps',
    ],
    [
      'mistyped field',
      { body: { ...valid, data: { ...GUIDE_EXAMPLES['session.completed'], steps: 'five' } } },
      400,
      'invalid_request',
      'data.steps',
    ],
    [
      'float in an int field',
      { body: { ...valid, data: { ...GUIDE_EXAMPLES['session.completed'], steps: 5.5 } } },
      400,
      'invalid_request',
      'data.steps',
    ],
    [
      'extra data field',
      { body: { ...valid, data: { ...GUIDE_EXAMPLES['session.completed'], mood: 'happy' } } },
      400,
      'invalid_request',
      'data.mood',
    ],
    ['extra envelope field', { body: { ...valid, priority: 1 } }, 400, 'invalid_request', 'priority'],
    ['invalid JSON', { rawBody: '{"type": "session.completed",' }, 400, 'invalid_json', 'body'],
    [
      'wrong content type',
      { rawBody: 'type=session.completed', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      415,
      'unsupported_media_type',
      'content-type',
    ],
    [
      'body over the limit',
      { body: { ...valid, data: { ...GUIDE_EXAMPLES['session.completed'], status: 'x'.repeat(70_000) } } },
      413,
      'payload_too_large',
      'body',
    ],
    [
      'batch over the limit',
      { body: { events: Array.from({ length: 51 }, () => valid) } },
      413,
      'payload_too_large',
      'events',
    ],
    ['empty batch', { body: { events: [] } }, 400, 'invalid_request', 'events'],
    ['bad id', { body: { ...valid, id: 'event-1' } }, 400, 'invalid_request', 'id'],
    ['unparsable created_at', { body: { ...valid, created_at: 'yesterday' } }, 400, 'invalid_request', 'created_at'],
    [
      'impossible created_at',
      { body: { ...valid, created_at: '2026-02-31T00:00:00Z' } },
      400,
      'invalid_request',
      'created_at',
    ],
    [
      'created_at far in the future',
      { body: { ...valid, created_at: '2999-01-01T00:00:00Z' } },
      400,
      'invalid_request',
      'created_at',
    ],
    [
      'another organization',
      { body: { ...valid, metadata: { organization_id: otherOrg } } },
      403,
      'forbidden',
      'metadata.organization_id',
    ],
    ['no key', { body: valid, key: null }, 401, 'unauthorized', undefined],
    ['unknown key', { body: valid, key: 'not-a-key-at-all' }, 401, 'unauthorized', undefined],
    ['a JSON array', { body: [valid] }, 400, 'invalid_request', 'body'],
    [
      'empty resource id',
      { body: { ...valid, data: { ...GUIDE_EXAMPLES['session.completed'], session_id: '' } } },
      400,
      'invalid_request',
      'data.session_id',
    ],
  ];

  for (const [name, request, status, code, field] of cases) {
    it(`refuses ${name} with ${status} ${code}`, async () => {
      const res = await t.call('POST', '/api/v1/events', request);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(typeof res.body.error.message).toBe('string');
      if (field) expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    });
  }

  it('refuses a batch with one bad event whole, naming its index and field, and writes nothing', async () => {
    const before = await topicEnds(t.platform.kafka, 'events.session');
    const events = [valid, { ...valid, data: { ...GUIDE_EXAMPLES['session.completed'], tokens_used: 'many' } }, valid];
    const res = await t.call('POST', '/api/v1/events', { body: { events } });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { field: 'events[1].data.tokens_used', message: 'must be a whole number', index: 1 },
    ]);
    expect(await topicEnds(t.platform.kafka, 'events.session')).toEqual(before);
  });
});

/** What the platform stores for a guide example: timestamps normalized to milliseconds, defaults filled. */
function normalize(data: Record<string, unknown>, schema: Record<string, unknown>): Record<string, unknown> {
  const dataSchema = (
    schema.fields as { name: string; type: { fields: { name: string; type: unknown; default?: unknown }[] } }[]
  ).find((f) => f.name === 'data')!.type;
  const out: Record<string, unknown> = {};
  for (const field of dataSchema.fields) {
    let value = field.name in data ? data[field.name] : field.default;
    const type = JSON.stringify(field.type);
    if (typeof value === 'string' && type.includes('timestamp-millis')) value = new Date(value).toISOString();
    out[field.name] = value;
  }
  return out;
}
