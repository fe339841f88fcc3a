/**
 * Runs the real CLI as a child process (`node_modules/.bin/tsx main/cli/index.ts …`), without a TTY, with the
 * password in SOLIDARICIEL_PASSWORD, and collects its exit code, stdout and stderr.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const CLI_PASSWORD = 'mot de passe du bureau';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** SOLIDARICIEL_PASSWORD; null leaves it unset. Default: CLI_PASSWORD. */
  password?: string | null;
  env?: Record<string, string>;
  /** Run through `npm run -s cli --` instead of tsx directly. */
  viaNpm?: boolean;
  timeoutMs?: number;
}

function childEnv(options: CliOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  delete env['SOLIDARICIEL_USER'];
  delete env['SOLIDARICIEL_PASSWORD'];
  const password = options.password === undefined ? CLI_PASSWORD : options.password;
  if (password !== null) env['SOLIDARICIEL_PASSWORD'] = password;
  if (options.env?.['SOLIDARICIEL_USER']) env['SOLIDARICIEL_USER'] = options.env['SOLIDARICIEL_USER'];
  return env;
}

/** Runs one CLI command line. Never rejects for a non-zero exit; rejects only if the process cannot start or times out. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const cwd = process.cwd();
  const [command, argv] = options.viaNpm
    ? [process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '-s', 'cli', '--', ...args]]
    : [resolve(cwd, 'node_modules/.bin/tsx'), [resolve(cwd, 'main/cli/index.ts'), ...args]];
  return new Promise((resolvePromise, reject) => {
    // stdin ignored: no TTY, so a missing password must fail instead of prompting.
    const child = spawn(command, argv, { cwd, env: childEnv(options), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI timed out: ${args.join(' ')}\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Parses stdout as exactly one JSON document (JSON.parse refuses anything before or after it). */
export function parseJsonOut<T = unknown>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${run.code}):\n${run.stdout}\n--- stderr:\n${run.stderr}`);
  }
}
