/**
 * main/fs/atomic.ts under file locks (docs/windows.md, "File locks"): a rename that fails for a moment with
 * EBUSY/EPERM/EACCES (an antivirus scanning the new file) is retried with a back-off; one that stays held ends in
 * FILE_BUSY with a French message, the destination untouched and no temporary file left. The failures are injected
 * into `rename`, the only call that sees them.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

/** Codes the next `rename` calls fail with, in order (then the real rename). */
const failures: string[] = [];
let renames = 0;
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    rename: async (from: string, to: string) => {
      renames++;
      const code = failures.shift();
      if (code) throw Object.assign(new Error(`${code}: simulated lock, rename '${from}' -> '${to}'`), { code });
      return real.rename(from, to);
    },
  };
});

const { lockRetryPolicy, retryWhileLocked, writeFileAtomic, LOCK_RETRY_DELAYS_MS } = await import('../../../main/fs/atomic');
const dir = mkdtempSync(join(tmpdir(), 'solidariciel-locks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  failures.length = 0;
  renames = 0;
});
const tempFiles = (): string[] => readdirSync(dir).filter((n) => n.startsWith('.tmp-'));

describe('atomic writes under file locks', () => {
  it('retries a rename that EBUSY holds for a moment, then writes', async () => {
    const file = join(dir, 'keyring.json');
    writeFileSync(file, 'old');
    failures.push('EBUSY', 'EBUSY', 'EBUSY');
    await writeFileAtomic(file, new TextEncoder().encode('new'));
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(renames).toBe(4);
    expect(tempFiles()).toEqual([]);
  });

  it('gives up with FILE_BUSY (French, naming the file) when the lock outlasts the back-off; nothing changed', async () => {
    const file = join(dir, 'association-keys.json');
    writeFileSync(file, 'old');
    failures.push(...Array.from({ length: LOCK_RETRY_DELAYS_MS.length + 1 }, () => 'EBUSY'));
    const started = Date.now();
    await expect(writeFileAtomic(file, new TextEncoder().encode('new'))).rejects.toMatchObject({
      code: 'FILE_BUSY',
      message: expect.stringMatching(/^Le fichier « association-keys\.json » est retenu par un autre programme \(antivirus/),
      details: { cause: 'EBUSY' },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(LOCK_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0) - 50);
    expect(renames).toBe(LOCK_RETRY_DELAYS_MS.length + 1);
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(tempFiles()).toEqual([]);
  });

  it('does not retry a real permission error off Windows', async () => {
    const file = join(dir, 'denied.json');
    failures.push('EPERM');
    await expect(writeFileAtomic(file, new TextEncoder().encode('x'))).rejects.toMatchObject({ code: 'EPERM' });
    expect(renames).toBe(1);
    expect(existsSync(file)).toBe(false);
    expect(tempFiles()).toEqual([]);
  });

  it("retries EPERM and EACCES under Windows's policy, and nothing else", async () => {
    const windows = { ...lockRetryPolicy('win32'), delaysMs: [1, 1, 1] };
    expect([...lockRetryPolicy('win32').retryable].sort()).toEqual(['EACCES', 'EBUSY', 'EPERM']);
    expect([...lockRetryPolicy('linux').retryable]).toEqual(['EBUSY']);
    let calls = 0;
    const flaky = (codes: string[]) => async (): Promise<string> => {
      calls++;
      const code = codes.shift();
      if (code) throw Object.assign(new Error(code), { code });
      return 'done';
    };
    await expect(retryWhileLocked(flaky(['EPERM', 'EACCES', 'EBUSY']), 'a.json', windows)).resolves.toBe('done');
    expect(calls).toBe(4);
    calls = 0;
    await expect(retryWhileLocked(flaky(['EPERM', 'EPERM', 'EPERM', 'EPERM']), 'a.json', windows)).rejects.toMatchObject({ code: 'FILE_BUSY', details: { cause: 'EPERM' } });
    expect(calls).toBe(4);
    calls = 0;
    await expect(retryWhileLocked(flaky(['ENOSPC']), 'a.json', windows)).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(calls).toBe(1);
  });
});
