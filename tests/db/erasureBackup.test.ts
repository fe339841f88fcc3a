/**
 * Erasure reaches backups (docs/erasure.md "Backups"): the register of erased ids is written beside the backups, and
 * restoring a backup taken BEFORE the erasure — or the newest one — never brings the person back: the restore
 * re-applies every erasure its destination's register or its own database names (records, keys and blobs).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core';
import { MemoryPreferences } from '../../main/core/filePreferences';
import { dispatch, noEvents } from '../../main/core/dispatch';
import { backupHooks } from '../../main/services/backup/hooks';
import { restoreBackup } from '../../main/services/backup/restore';
import { backupNow } from '../../main/services/backup/writeBackup';
import { wireErasuresIntoBackups } from '../../main/services/erasure/backupWiring';
import { PASSWORD, TEST_KDF, fixture, newTestCore, tempDir, type TestCore } from '../helpers/core';
import { leaks } from '../helpers/files';

const ERASED = ['Zoubida', 'Marchetti', 'zoubida.marchetti@example.org'];

async function openCopy(dir: string) {
  const core = createCore({ prefs: new MemoryPreferences(), kdfCost: TEST_KDF });
  const call = async (channel: string, request: unknown) => {
    const env = await dispatch(core.handlers, channel as never, request as never, noEvents);
    if (!env.ok) throw Object.assign(new Error(env.error.message), { code: env.error.code });
    return env.value as never;
  };
  await call('session:unlock', { dir, userName: 'admin', password: PASSWORD });
  return { core, call };
}

/** Every file name under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

describe('erasure and backups', () => {
  let t: TestCore;
  let dest: string;
  let erasedId: string;
  let blobName: string;
  const source = () => {
    const s = t.core.session()!;
    return { dir: t.dir, db: s.ctx.db, dbKey: s.association.dbKey, associationId: s.association.associationId };
  };

  beforeEach(async () => {
    wireErasuresIntoBackups();
    t = await newTestCore();
    dest = tempDir('solidariciel-dest-');
    erasedId = (await t.call('people:create', { person: { firstName: 'Zoubida', lastName: 'Marchetti', email: 'zoubida.marchetti@example.org' } })).id;
    await t.call('people:create', { person: { firstName: 'Paul', lastName: 'Reste' } });
    await t.call('notes:add', { personId: erasedId, text: 'Suivi de Zoubida', visibility: { kind: 'everyone' } });
    await t.call('vault:addDocument', { personId: erasedId, meta: { type: 'carte_identite' }, files: [{ name: 'cni.png', bytes: fixture('scans', 'carte-identite-specimen.png') }] });
    blobName = ((await t.core.session()!.ctx.db('documents').first('blob_name')) as { blob_name: string }).blob_name;
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('is wired once into the process-wide hooks, whatever the number of cores', () => {
    wireErasuresIntoBackups();
    createCore({ prefs: new MemoryPreferences(), kdfCost: TEST_KDF });
    expect(backupHooks.destinationFiles.filter((p) => p.name === 'erasure-register')).toHaveLength(1);
    expect(backupHooks.afterRestore.filter((s) => s.name === 'erasure-register')).toHaveLength(1);
  });

  it('restoring a backup taken before the erasure, or the newest one, does not bring the person back', async () => {
    const older = await backupNow(source(), dest, new Date('2026-12-01T10:00:00Z'));
    await t.call('people:erase', { id: erasedId, confirmName: 'Zoubida Marchetti' });
    const newest = await backupNow(source(), dest, new Date('2026-12-02T10:00:00Z'));

    // The register beside the backups names the erased id, and no personal data.
    const register = JSON.parse(readFileSync(join(dest, 'erasures.json'), 'utf8')) as { entries: { personId: string }[] };
    expect(register.entries.some((e) => e.personId === erasedId)).toBe(true);
    expect(leaks(dest, ERASED)).toEqual([]);
    // The newest backup does not name the erased paper's blob.
    expect(readFileSync(join(newest.path, 'manifest.json'), 'utf8')).not.toContain(blobName);

    for (const backup of [older, newest]) {
      const into = join(tempDir('solidariciel-restore-'), 'Restaurée');
      const report = await restoreBackup(backup.path, into, { userName: 'admin', password: PASSWORD });
      expect(report.ok).toBe(true);
      expect(filesUnder(join(into, 'vault'))).not.toContain(blobName);
      const copy = await openCopy(into);
      try {
        const people = (await copy.call('people:search', { query: '', limit: 10 })) as { items: { id: string; firstName: string }[] };
        expect(people.items.map((p) => p.firstName)).toEqual(['Paul']);
        await expect(copy.call('people:get', { id: erasedId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
        const docs = (await copy.core.session()!.ctx.db('documents').count({ n: '*' }).first()) as { n: number };
        expect(Number(docs.n)).toBe(0);
      } finally {
        await copy.core.close();
      }
    }
    expect(existsSync(join(older.path, 'association.db'))).toBe(true);
  });
});
