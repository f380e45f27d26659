import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectPath } from '../../core/paths.js';
import { startDispatcher } from '../../services/dispatcher/start.js';
import { startReplayer } from '../../services/replayer/start.js';
import { startSink } from '../../services/sink/start.js';
import { createClient } from '../../sdk/index.js';
import { startTestApi, TEST_ADMIN_KEY, type TestApi } from '../support/api.js';
import { eventually, uniqueOrganization } from '../support/config.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

// The Python SDK's pytest suite (sdk-python/tests) against a platform started here: the API, the
// sink, the dispatcher and the replayer, in this process, on the real stack. pytest runs in a
// virtualenv under the stack cache, created once per set of requirements (sdk-python/pyproject.toml
// and the Python version); each run installs the SDK itself into a fresh folder from the checkout,
// as `pip install ./sdk-python` would, so the tests exercise the package as built.

const run = promisify(execFile);
const SDK = projectPath('sdk-python');
const VENV = join(homedir(), '.cache', 'resonant-events', 'python-sdk-venv');
const VENV_PYTHON = join(VENV, 'bin', 'python');
const GUIDE = projectPath('..', 'shared', 'seed', 'events-guide.md');
// One organization per concern, so that no test sees another's events.
const NAMES = [
  'events',
  'webhooks',
  'subscribe',
  'limits',
  'other',
  'faults',
  'guide_history',
  'guide_live',
  'guide_replay',
  'readme',
  'readme_live',
  'readme_list',
  'readme_replay',
] as const;
const orgs = Object.fromEntries(NAMES.map((name) => [name, uniqueOrganization(`org_py_${name}`)]));
const group = uniqueOrganization('py');

let t: TestApi;
let workers: { stop: () => Promise<void> }[] = [];
let warm: Receiver | undefined;
let target: string;

const pip = (args: string[]) =>
  run(VENV_PYTHON, ['-m', 'pip', '--disable-pip-version-check', '--no-input', ...args], {
    timeout: 600_000,
    maxBuffer: 16 * 1024 * 1024,
  });

/**
 * The virtualenv with the SDK's dependencies and test extras, rebuilt when pyproject.toml or the
 * Python version changes. Built beside the cache and renamed into place, so that two runs never
 * see a half-built one.
 */
async function ensureVenv(): Promise<void> {
  const { stdout: version } = await run('python3', ['-c', 'import sys; print(sys.version)']);
  if (!/^3\.(1\d|[2-9]\d)\./.test(version)) throw new Error(`python3 is ${version.trim()}; the SDK needs 3.10+`);
  const stamp = createHash('sha256')
    .update(version)
    .update(await readFile(join(SDK, 'pyproject.toml')))
    .digest('hex');
  if ((await readFile(join(VENV, '.rg-requirements'), 'utf8').catch(() => '')) === stamp) return;
  const building = `${VENV}.${process.pid}`;
  await rm(building, { recursive: true, force: true });
  await mkdir(join(VENV, '..'), { recursive: true });
  await run('python3', ['-m', 'venv', building], { timeout: 120_000 });
  const python = join(building, 'bin', 'python');
  // The package with its test extras (so that `pip install ./sdk-python` is proven), then only
  // its dependencies are kept: each run installs the current SDK on its own.
  await run(python, ['-m', 'pip', '--disable-pip-version-check', 'install', '-q', `${SDK}[test]`, 'hatchling'], {
    timeout: 600_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  await run(python, ['-m', 'pip', '--disable-pip-version-check', 'uninstall', '-q', '-y', 'resonant-events']);
  await writeFile(join(building, '.rg-requirements'), stamp);
  await rm(VENV, { recursive: true, force: true });
  await rename(building, VENV);
}

/** The SDK from this checkout, built and installed into a fresh folder (put on PYTHONPATH). */
async function installSdk(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rg-python-sdk-'));
  await pip(['install', '-q', '--no-deps', '--no-build-isolation', '--target', dir, SDK]);
  return dir;
}

beforeAll(async () => {
  if (!existsSync(GUIDE)) throw new Error(`the events guide is missing at ${GUIDE}`);
  // The virtualenv and the SDK's install go on while the platform starts.
  const python = ensureVenv().then(installSdk);
  t = await startTestApi({
    organizations: Object.values(orgs),
    env: {
      RG_REPLAY_GROUP: `rg-replayer-${group}`,
      RG_DISPATCHER_GROUP: `rg-dispatcher-${group}`,
      RG_DISPATCHER_RETRY_GROUP: `rg-dispatcher-retries-${group}`,
      RG_WEBHOOK_RETRY_SCHEDULE: '300ms,600ms,1s,2s,2s',
      RG_WEBHOOK_TIMEOUT: '2s',
      RG_REPLAY_COUNT_WAIT: '20s',
      // Small, so that the limit's 429 can be met with a few streams (tests/integration/test_subscribe.py).
      RG_STREAM_MAX_CONNECTIONS_PER_KEY: '3',
      // Reconnections (and the limit's Retry-After) wait this hint: short, so that tests do not.
      RG_STREAM_RETRY_HINT: '500ms',
    },
  });
  workers = await Promise.all([startSink(t.platform), startDispatcher(t.platform), startReplayer(t.platform)]);
  // A first replay waits for the replayer to join its group, so that the tests' replays are
  // counted within the API's wait (their answers then carry `event_count`).
  warm = await startReceiver();
  const client = createClient({ apiKey: `key_${orgs.events}`, baseUrl: t.url, timeoutMs: 90_000, maxRetries: 5 });
  const now = Date.now();
  const warmUp = await client.events.replay({
    since: new Date(now - 1_000),
    until: new Date(now),
    types: ['system.*'],
    webhook_url: warm.url,
    secret: 'a-signing-secret-of-24-chars-or-more',
  });
  await eventually(
    async () => ((await client.events.getReplayStatus(warmUp.id)).status === 'completed' ? true : undefined),
    { timeoutMs: 120_000, intervalMs: 250, what: 'the warm-up replay' },
  );
  target = await python;
}, 900_000);

afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await warm?.close();
  await t?.stop();
  if (target) await rm(target, { recursive: true, force: true });
});

describe('the Python SDK', () => {
  it('is formatted and linted (ruff format, ruff check: sdk-python/pyproject.toml)', async () => {
    for (const args of [
      ['format', '--check', '--no-cache', '.'],
      ['check', '--no-cache', '.'],
    ]) {
      const { stdout, stderr } = await run(VENV_PYTHON, ['-m', 'ruff', ...args], { cwd: SDK }).catch(
        (error: { stdout: string; stderr: string }) => {
          throw new Error(
            `ruff ${args[0]} (fix with \`ruff ${args[0] === 'format' ? 'format' : 'check --fix'}\` in sdk-python/):\n${error.stdout}${error.stderr}`,
          );
        },
      );
      if (process.env.RG_TEST_VERBOSE) process.stderr.write(stdout + stderr);
    }
  });

  it('passes its pytest suite (sdk-python/tests) against the running platform', { timeout: 600_000 }, async () => {
    const keys = { ...Object.fromEntries(NAMES.map((name) => [name, `key_${orgs[name]}`])), admin: TEST_ADMIN_KEY };
    // RG_PYTEST_ARGS (e.g. `tests/integration/test_subscribe.py -x`) narrows the run while working on the SDK.
    const only = process.env.RG_PYTEST_ARGS?.split(' ').filter(Boolean) ?? [];
    const child = spawn(
      VENV_PYTHON,
      ['-m', 'pytest', '-v', '--durations=8', '-p', 'no:cacheprovider', '--color=no', ...only],
      {
        cwd: SDK,
        env: {
          ...process.env,
          PYTHONPATH: target,
          PYTHONDONTWRITEBYTECODE: '1',
          RG_TEST_API_URL: t.url,
          RG_TEST_API_KEYS: JSON.stringify(keys),
          RG_TEST_ORGANIZATIONS: JSON.stringify(orgs),
          RG_EVENTS_GUIDE: GUIDE,
        },
      },
    );
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    // Past the deadline pytest is stopped, so that its output (which test, where) is still shown.
    const deadline = setTimeout(() => child.kill('SIGKILL'), 540_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(deadline);
    if (process.env.RG_TEST_VERBOSE) process.stderr.write(output);
    expect(code, output).toBe(0);
    // Every test ran: none skipped, deselected or expected to fail (unless the run was narrowed).
    if (!only.length) expect(output).toMatch(/^(=+ )?\d+ passed(, \d+ warnings?)? in /m);
  });
});
