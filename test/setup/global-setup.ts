import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { projectPath } from '../../core/paths.js';

const run = promisify(execFile);

/** True when a Docker engine answers (the client alone is not enough). */
async function dockerAnswers(): Promise<boolean> {
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Brings the real stack up once for the integration suite. With a Docker engine (and
 * RG_TEST_STACK=docker), testcontainers runs infra/docker-compose.yml; otherwise, as on the
 * project's own machines, scripts/stack starts the local processes. Either way the defaults of
 * the platform's configuration point at it.
 */
export default async function setup(): Promise<() => Promise<void>> {
  if (process.env.RG_TEST_STACK === 'docker' && (await dockerAnswers())) {
    const { DockerComposeEnvironment, Wait } = await import('testcontainers');
    const environment = await new DockerComposeEnvironment(projectPath('infra'), 'docker-compose.yml')
      .withWaitStrategy('registry-1', Wait.forHttp('/apis/ccompat/v7/subjects', 8081))
      .up(['kafka', 'registry', 'clickhouse']);
    await run(projectPath('node_modules', '.bin', 'tsx'), [projectPath('scripts', 'provision.ts')], {
      cwd: projectPath(),
    });
    return async () => {
      await environment.down();
    };
  }
  const { stderr } = await run(projectPath('scripts', 'stack'), ['up'], { cwd: projectPath(), timeout: 15 * 60_000 });
  if (process.env.RG_TEST_VERBOSE) process.stderr.write(stderr);
  return async () => {};
}
