import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { projectPath } from '../../core/paths.js';

const run = promisify(execFile);

export type StackPart = 'kafka' | 'registry' | 'clickhouse';

/** Runs `scripts/stack <args>`; answers its exit code and output instead of throwing. */
export async function stack(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(projectPath('scripts', 'stack'), args, {
      cwd: projectPath(),
      timeout: 10 * 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failure.code === 'number' ? failure.code : 1,
      stdout: failure.stdout ?? '',
      stderr: failure.stderr ?? '',
    };
  }
}

/** Stops a part of the stack, runs `during`, and always brings the part back up. */
export async function withPartDown<T>(part: StackPart, during: () => Promise<T>): Promise<T> {
  const down = await stack('down', part);
  if (down.code !== 0) throw new Error(`could not stop ${part}: ${down.stderr}`);
  try {
    return await during();
  } finally {
    const up = await stack('up', part);
    // biome-ignore lint/correctness/noUnsafeFinally: a part left down fails every later test; that outranks the test's own failure
    if (up.code !== 0) throw new Error(`could not restart ${part}: ${up.stderr}`);
  }
}
