/**
 * The CLI run in-process (`main(argv, { kdfCost })` from main/cli/index.ts) with stdout and stderr captured: the same
 * parsing, contract calls and exit codes as the child process, without ~1 s of process start and MODERATE Argon2id
 * per command. For the access matrix (hundreds of commands); the JSON shapes are checked on real child processes
 * (tests/helpers/cli.ts).
 */
import { expect } from 'vitest';
import { main } from '../../main/cli/index';
import { parseJsonOut, type CliRun } from './cli';
import { TEST_KDF } from './core';

/** Success: exit 0, nothing on stderr, stdout exactly one JSON document ending with a newline. */
export function ok<T>(run: CliRun): T {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  expect(run.stdout.endsWith('\n')).toBe(true);
  return parseJsonOut<T>(run);
}

/** A failure: the exit code, French text on stderr, no stack trace, nothing on stdout. Returns stderr. */
export function failed(run: CliRun, code: 1 | 2): string {
  expect({ code: run.code, stdout: run.stdout }).toEqual({ code, stdout: '' });
  expect(run.stderr).not.toContain('    at ');
  expect(run.stderr).not.toMatch(/\b(Error|Unknown|Invalid|undefined)\b/);
  expect(run.stderr.trim()).not.toBe('');
  return run.stderr;
}

/** The variables the CLI reads; each run sets exactly those given and clears the others. */
const SECRETS = ['SOLIDARICIEL_PASSWORD', 'SOLIDARICIEL_USER', 'SOLIDARICIEL_NEW_PASSWORD', 'SOLIDARICIEL_RECOVERY_CODE'] as const;
export type CliEnv = Partial<Record<(typeof SECRETS)[number], string>>;

let running = false;

/**
 * Runs one command line in this process and returns what a child process would give. Not re-entrant (it swaps
 * process.stdout/stderr writes and the environment for the duration of the command).
 */
export async function runInProcess(args: string[], env: CliEnv = {}): Promise<CliRun> {
  if (running) throw new Error('runInProcess is not re-entrant');
  running = true;
  const saved = Object.fromEntries(SECRETS.map((k) => [k, process.env[k]]));
  for (const k of SECRETS) {
    if (env[k] === undefined) delete process.env[k];
    else process.env[k] = env[k];
  }
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  let stdout = '';
  let stderr = '';
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await main(args, { kdfCost: TEST_KDF });
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    for (const k of SECRETS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    running = false;
  }
}

/** `runInProcess` as user `name` with `password`. */
export function runAs(name: string, password: string, args: string[], env: CliEnv = {}): Promise<CliRun> {
  return runInProcess([...args, '--user', name], { SOLIDARICIEL_PASSWORD: password, ...env });
}
