import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectPath } from '../../core/paths.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { uniqueOrganization } from '../support/config.js';
import { runSchemathesis, schemathesis } from '../support/schemathesis.js';

// Property-based checks of the API against its own OpenAPI document (Schemathesis): every answer's
// status, content type, headers and body are as documented, no request makes a 5xx, and every request
// the document calls invalid is refused (the checks left out, and why: schemathesis.toml). A short run
// here; `npm run test:fuzz` runs a longer one with a fresh seed.
const deep = process.env.RG_FUZZ_MAX_EXAMPLES;
const org = uniqueOrganization('org_fuzz');
let t: TestApi;

beforeAll(async () => {
  await schemathesis();
  t = await startTestApi({
    organizations: [org],
    // The replays it creates belong to a worker pool that no worker runs: nothing is ever delivered.
    env: { RG_REPLAY_COUNT_WAIT: '0s', RG_REPLAY_GROUP: uniqueOrganization('rg-replayer-fuzz') },
  });
}, 900_000);

afterAll(async () => {
  if (!t) return;
  // Leave no webhook to generated URLs for a dispatcher of a later test to deliver to.
  const webhooks = await t.call('GET', '/api/v1/webhooks');
  for (const { id } of webhooks.body?.data ?? []) await t.call('DELETE', `/api/v1/webhooks/${id}`);
  const replays = await t.call('GET', '/api/v1/events/replay');
  for (const { id } of replays.body?.data ?? []) await t.call('POST', `/api/v1/events/replay/${id}/cancel`);
  await t.stop();
});

describe('the OpenAPI document', () => {
  it('is what the API does: Schemathesis finds nothing it contradicts', async () => {
    const { code, output } = await runSchemathesis(
      [
        '--config-file',
        projectPath('test', 'integration', 'schemathesis.toml'),
        'run',
        `${t.url}/api/v1/openapi.json`,
        '--header',
        `Authorization: Bearer key_${org}`,
        // The live stream never ends (its refusals are tested in subscribe.test.ts); a test delivery
        // would POST to the generated URLs.
        '--exclude-path',
        '/events/subscribe',
        '--exclude-path',
        '/webhooks/{webhook_id}/test',
        '--max-examples',
        deep ?? '5',
        ...(deep ? [] : ['--seed', '20261207']),
        '--request-timeout',
        '10',
      ],
      deep ? 3_600_000 : 300_000,
    );
    // What it found (its report's failures and summary), not the whole run.
    const found = output.slice(Math.max(0, output.indexOf('FAILURES')), output.indexOf('FAILURES') + 20_000);
    expect(code, found || output.slice(-20_000)).toBe(0);
  }, 3_700_000);
});
