import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_CATEGORIES, topicForCategory } from '../../core/events/categories.js';
import { projectPath } from '../../core/paths.js';
import { startSink } from '../../services/sink/start.js';
import { startTestApi, TEST_ADMIN_KEY, type TestApi } from '../support/api.js';
import { eventually, uniqueOrganization } from '../support/config.js';
import { startGroupAtEnds } from '../support/kafka.js';

// The events guide users were promised, beside the repository (as the README links it): its JSON
// examples are read from it as they stand, never from a copy.
const GUIDE = projectPath('..', 'shared', 'seed', 'events-guide.md');

interface GuideExample {
  heading: string;
  example: Record<string, unknown>;
}

/** Every ```json block of the guide, with the heading it sits under. */
function guideExamples(): GuideExample[] {
  if (!existsSync(GUIDE)) throw new Error(`the events guide is missing at ${GUIDE}`);
  const examples: GuideExample[] = [];
  let heading = '';
  let block: string[] | undefined;
  for (const line of readFileSync(GUIDE, 'utf8').split('\n')) {
    if (block) {
      if (line.trim() === '```') {
        examples.push({ heading, example: JSON.parse(block.join('\n')) });
        block = undefined;
      } else block.push(line);
    } else if (line.trim() === '```json') block = [];
    else if (line.startsWith('#')) heading = line.replace(/^#+\s*/, '').trim();
  }
  return examples;
}

const org = uniqueOrganization('org_guide');
const sinkGroup = `rg-sink-guide-${process.pid}-${Date.now().toString(36)}`;
let t: TestApi;
let sink: { stop: () => Promise<void> } | undefined;

beforeAll(async () => {
  // The guide's times are in the past: keep every day of history, so that none is dropped under the test.
  t = await startTestApi({ organizations: [org], env: { RG_SINK_GROUP: sinkGroup, RG_HISTORY_RETENTION: '36500d' } });
  // On a new stack the topics may still be electing their leaders: try until they answer.
  await eventually(
    async () => {
      await startGroupAtEnds(t.platform.kafka, sinkGroup, EVENT_CATEGORIES.map(topicForCategory));
      return true;
    },
    { timeoutMs: 60_000, what: 'the sink group placed at the topics’ ends' },
  );
  sink = await startSink(t.platform);
});
afterAll(async () => {
  await sink?.stop();
  await t?.stop();
});

/** The event the platform stores for an example: the schema's defaults for the fields it leaves out, times in ms. */
function stored(type: string, example: Record<string, unknown>, accepted: { id: string; created_at: string }) {
  const entry = t.platform.catalog.get(type)!;
  const dataFields = (entry.schema.fields as { name: string; type: { fields: object[] } }[]).find(
    (field) => field.name === 'data',
  )!.type.fields as { name: string; type: unknown; default?: unknown }[];
  const given = example.data as Record<string, unknown>;
  const data: Record<string, unknown> = {};
  for (const field of dataFields) {
    const value = field.name in given ? given[field.name] : field.default;
    const isTime = JSON.stringify(field.type).includes('timestamp-millis');
    data[field.name] = isTime && typeof value === 'string' ? new Date(value).toISOString() : value;
  }
  const metadata = (example.metadata ?? {}) as Record<string, unknown>;
  return {
    id: example.id ?? accepted.id,
    type,
    created_at: example.created_at ? new Date(example.created_at as string).toISOString() : accepted.created_at,
    data,
    metadata: {
      organization_id: metadata.organization_id ?? org,
      user_id: metadata.user_id ?? null,
      request_id: metadata.request_id ?? null,
    },
  };
}

describe('the events guide', () => {
  const examples = guideExamples();

  it('is read whole: one example under each event type it describes, and the base format', () => {
    const typeHeadings = readFileSync(GUIDE, 'utf8')
      .split('\n')
      .filter((line) => /^#+\s+[a-z]+(\.[a-z_]+)+\s*$/.test(line))
      .map((line) => line.replace(/^#+\s*/, '').trim());
    expect(typeHeadings.length).toBeGreaterThan(10);
    expect(examples.map(({ heading }) => heading)).toEqual(['Base Event Format', ...typeHeadings]);
  });

  it.each(examples.map(({ heading, example }) => [heading, example] as const))(
    'accepts the example under "%s" as written, and reads it back equal',
    async (heading, example) => {
      // A fragment without a type takes the type of its heading.
      const type = (example.type as string | undefined) ?? heading;
      const body = example.type ? example : { ...example, type };
      // An example that names its organization is published with an admin key, which may act for any.
      const named = (example.metadata as { organization_id?: string } | undefined)?.organization_id;
      const key = named ? TEST_ADMIN_KEY : `key_${org}`;
      const headers: Record<string, string> = named ? { 'RG-Organization-Id': named } : {};

      const res = await t.call('POST', '/api/v1/events', { key, body });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      const expected = stored(type, example, res.body);
      expect(res.body).toEqual({ id: expected.id, type, created_at: expected.created_at });

      const read = await eventually(
        async () => {
          const got = await t.call('GET', `/api/v1/events/${expected.id}`, { key, headers });
          return got.status === 200 ? got.body : undefined;
        },
        { timeoutMs: 60_000, what: `${expected.id} in history` },
      );
      expect(read).toEqual(expected);
    },
  );
});
