/**
 * `db:rawCopy` (main/services/association/rawCopy.ts) writes the decrypted database: another local OS user must not
 * be able to read it (docs/threat-model.md). The copy is created 0600, exclusively, before SQLCipher writes a byte,
 * whatever the umask; a link planted at the output path is refused, never followed.
 */
import { existsSync, lstatSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newTestCore, tempDir, type TestCore } from '../helpers/core';

describe('db raw-copy: the decrypted copy is private', () => {
  let t: TestCore;
  let umask: number;
  beforeEach(async () => {
    // The usual desktop umask: files created without an explicit mode end up 0644 (world-readable).
    umask = process.umask(0o022);
    t = await newTestCore();
  });
  afterEach(async () => {
    process.umask(umask);
    await t.cleanup();
  });

  it('is created with mode 0600 under umask 022, and no other file is left beside it', async () => {
    const folder = tempDir('solidariciel-rawcopy-');
    const out = join(folder, 'copie.sqlite');
    expect(await t.call('db:rawCopy', { out })).toEqual({ path: out });
    expect(readFileSync(out).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readdirSync(folder)).toEqual(['copie.sqlite']);
  });

  it('refuses a dangling symlink planted at the output path (the copy would land where its author reads it)', async () => {
    const folder = tempDir('solidariciel-rawcopy-');
    const trap = join(tempDir('solidariciel-trap-'), 'stolen.sqlite');
    const out = join(folder, 'copie.sqlite');
    symlinkSync(trap, out);
    await expect(t.call('db:rawCopy', { out })).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    expect(existsSync(trap)).toBe(false);
    expect(lstatSync(out).isSymbolicLink()).toBe(true);
  });

  it('never overwrites an existing file', async () => {
    const out = join(tempDir('solidariciel-rawcopy-'), 'copie.sqlite');
    writeFileSync(out, 'déjà là');
    await expect(t.call('db:rawCopy', { out })).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    expect(readFileSync(out, 'utf8')).toBe('déjà là');
  });
});
