import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The Schemathesis release the API's document is checked with (from PyPI). */
export const SCHEMATHESIS_VERSION = '4.32.5';

/** Its virtualenv, kept between runs beside the stack's other downloads. */
const VENV = join(homedir(), '.cache', 'resonant-events', `schemathesis-${SCHEMATHESIS_VERSION}`);

/** The `st` command, installed into its own virtualenv on first use. */
export async function schemathesis(): Promise<string> {
  const st = join(VENV, 'bin', 'st');
  if (existsSync(st)) return st;
  await run('python3', ['-m', 'venv', VENV], { timeout: 120_000 });
  await run(join(VENV, 'bin', 'pip'), ['install', '--quiet', `schemathesis==${SCHEMATHESIS_VERSION}`], {
    timeout: 600_000,
  });
  return st;
}

/** Runs `st` with `args`; answers its exit code and output instead of throwing. */
export async function runSchemathesis(args: string[], timeoutMs: number): Promise<{ code: number; output: string }> {
  const st = await schemathesis();
  try {
    const { stdout, stderr } = await run(st, args, {
      timeout: timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
      // No colours, no telemetry, no report files left in the tree.
      env: { PATH: process.env.PATH ?? '', HOME: homedir(), NO_COLOR: '1', SCHEMATHESIS_TELEMETRY: 'false' },
      cwd: VENV,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string; message?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : 1,
      output: (failed.stdout ?? '') + (failed.stderr ?? '') + (failed.message ?? ''),
    };
  }
}
