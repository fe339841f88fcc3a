/**
 * Association folders on unusual paths (docs/windows.md): spaces, accents and non-Latin letters, a long path, and a
 * folder named like a Windows device. What Linux can run: the real core creates, locks, unlocks and reads a paper back
 * in each folder; the Windows-only rules are refused before anything is written, whatever the platform.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core';
import { dispatch, noEvents } from '../../main/core/dispatch';
import { MemoryPreferences } from '../../main/core/filePreferences';
import { UNIX_MAX_FOLDER_BYTES } from '../../main/fs/folderName';
import { fixture, PASSWORD, TEST_KDF } from '../helpers/core';

const root = mkdtempSync(join(tmpdir(), 'solidariciel-paths-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A folder under `root` whose path is exactly `bytes` UTF-8 bytes long, made of accented names. */
function longDir(bytes: number): string {
  let dir = join(root, 'long');
  while (Buffer.byteLength(dir) + 1 + 60 < bytes) dir = join(dir, `dossier numéro ${'é'.repeat(20)}`);
  return join(dir, 'x'.repeat(bytes - Buffer.byteLength(dir) - 1));
}

/** Calls the core through dispatch; resolves the envelope as it is. */
function caller() {
  const core = createCore({ prefs: new MemoryPreferences(), kdfCost: TEST_KDF });
  const call = (channel: string, request: unknown) => dispatch(core.handlers, channel as never, request as never, noEvents);
  return { core, call };
}

describe('association folders on unusual paths', () => {
  const dirs = {
    'spaces and accents': join(root, 'Mes Documents', 'Épicerie solidaire — été 2026.solidariciel'),
    'non-Latin letters': join(root, 'Ассоциация', '協会 جمعية'),
    // Past Windows's MAX_PATH, up to SQLite's Unix limit (main/fs/folderName.ts): the engine and the vault must cope.
    'a long path': longDir(UNIX_MAX_FOLDER_BYTES),
  };

  for (const [label, dir] of Object.entries(dirs)) {
    it(`creates, unlocks and reads a paper back: ${label}`, async () => {
      const { core, call } = caller();
      try {
        const created = await call('association:create', { dir, name: 'Entraide', adminName: 'admin', password: PASSWORD });
        expect(created.ok, JSON.stringify(created)).toBe(true);
        const person = await call('people:create', { person: { firstName: 'Zoé', lastName: 'Ngô' } });
        if (!person.ok) throw new Error(person.error.message);
        const bytes = fixture('scans', 'carte-identite-specimen.png');
        const added = await call('vault:addDocument', { personId: (person.value as { id: string }).id, meta: { type: 'carte_identite' }, files: [{ name: 'carte été.png', bytes }] });
        if (!added.ok) throw new Error(added.error.message);
        expect((await call('session:lock', {})).ok).toBe(true);
        expect((await call('session:unlock', { dir, userName: 'admin', password: PASSWORD })).ok).toBe(true);
        const read = await call('vault:readDocument', { id: (added.value as { id: string }).id });
        if (!read.ok) throw new Error(read.error.message);
        expect((read.value as { bytes: Uint8Array }).bytes.byteLength).toBeGreaterThan(0);
        const recent = await call('session:recentAssociations', {});
        expect(recent.ok && (recent.value as { items: { dir: string }[] }).items.map((i) => i.dir)).toContain(dir);
      } finally {
        await core.close();
      }
    }, 60_000);
  }

  it('refuses a folder named like a Windows device, ending with a dot, or too long, before writing anything', async () => {
    const { core, call } = caller();
    try {
      for (const name of ['CON', 'nul.solidariciel', 'COM1', 'Entraide.']) {
        const dir = join(root, 'refus', name);
        const result = await call('association:create', { dir, name: 'Entraide', adminName: 'admin', password: PASSWORD });
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.error.code).toBe('VALIDATION');
          expect(result.error.message).toMatch(/^Dossier impossible : « .+ » (est un nom réservé par Windows|se termine par un point)/);
        }
        expect(existsSync(dir)).toBe(false);
      }
      // One byte past what SQLite can open: refused in French instead of an internal error.
      const tooLong = longDir(UNIX_MAX_FOLDER_BYTES + 1);
      const result = await call('association:create', { dir: tooLong, name: 'Entraide', adminName: 'admin', password: PASSWORD });
      expect(result.ok || result.error.message).toMatch(/^Le chemin du dossier est trop long pour le moteur de la base/);
      expect(existsSync(tooLong)).toBe(false);
    } finally {
      await core.close();
    }
  });
});
