/**
 * Backups (main/services/backup, docs/backup.md): an encrypted, consistent snapshot with an incremental blob store,
 * restored into a new folder only, and the drill (database opens, audit chain intact, every paper's blob matches).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core';
import { MemoryPreferences } from '../../main/core/filePreferences';
import { dispatch, noEvents } from '../../main/core/dispatch';
import { emptyBackupHooks } from '../../main/services/backup/hooks';
import { listBackups, readManifest } from '../../main/services/backup/layout';
import { restoreBackup, verifyBackup } from '../../main/services/backup/restore';
import { backupNow } from '../../main/services/backup/writeBackup';
import { PASSWORD, TEST_KDF, fixture, newTestCore, tempDir, type TestCore } from '../helpers/core';
import { addUser } from '../helpers/access';
import { leaks } from '../helpers/files';

const SECRETS = ['Zoubida', 'Marchetti', 'zoubida.marchetti@example.org', 'Note pour tous', 'Note admin seul', 'Note équipe sud', 'Note pour Béa'];

async function unlockCopy(dir: string, userName = 'admin') {
  const core = createCore({ prefs: new MemoryPreferences(), kdfCost: TEST_KDF });
  const call = async (channel: string, request: unknown) => {
    const env = await dispatch(core.handlers, channel as never, request as never, noEvents);
    if (!env.ok) throw Object.assign(new Error(env.error.message), { code: env.error.code });
    return env.value as never;
  };
  await call('session:unlock', { dir, userName, password: PASSWORD });
  return { core, call };
}

describe('backups and restore drill', () => {
  let t: TestCore;
  let personId: string;
  let dest: string;
  const source = () => {
    const s = t.core.session()!;
    return { dir: t.dir, db: s.ctx.db, dbKey: s.association.dbKey, associationId: s.association.associationId };
  };

  beforeEach(async () => {
    t = await newTestCore();
    dest = join(tempDir('solidariciel-dest-'), 'Clé USB');
    personId = (await t.call('people:create', { person: { firstName: 'Zoubida', lastName: 'Marchetti', email: 'zoubida.marchetti@example.org' } })).id;
    const g = (await t.call('groups:create', { name: 'Équipe Sud' })).id;
    const bea = await addUser(t, 'bea', 'social_worker', [g]);
    await t.call('notes:add', { personId, text: 'Note pour tous', visibility: { kind: 'everyone' } });
    await t.call('notes:add', { personId, text: 'Note admin seul', visibility: { kind: 'me' } });
    await t.call('notes:add', { personId, text: 'Note équipe sud', visibility: { kind: 'groups', groupIds: [g] } });
    await t.call('notes:add', { personId, text: 'Note pour Béa', visibility: { kind: 'users', userIds: [bea] } });
    await t.call('vault:addDocument', { personId, meta: { type: 'carte_identite' }, files: [{ name: 'cni.png', bytes: fixture('scans', 'carte-identite-specimen.png') }] });
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('writes an encrypted backup (no plaintext anywhere at the destination), and copies each blob once', async () => {
    const first = await backupNow(source(), dest, new Date());
    expect(first.blobsCopied).toBe(1);
    expect(first.bytes).toBeGreaterThan(0);
    expect(leaks(dest, SECRETS)).toEqual([]);
    const m = await readManifest(first.path);
    expect(m.files.map((f) => f.name).sort()).toEqual(['association.db', 'keyring.json', 'pending-audit.json'].filter((n) => existsSync(join(t.dir, n))).sort());
    expect(readFileSync(join(first.path, 'association.db')).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    // The second backup names the same blob without copying it again; a new paper is the only one copied.
    const second = await backupNow(source(), dest, new Date());
    expect(second.blobsCopied).toBe(0);
    await t.call('vault:addDocument', { personId, meta: { type: 'autre' }, files: [{ name: 'p1.jpg', bytes: fixture('scans', 'attestation-domicile-p1.jpg') }] });
    const third = await backupNow(source(), dest, new Date());
    expect(third.blobsCopied).toBe(1);
    expect((await readManifest(third.path)).blobs).toHaveLength(2);
    expect((await t.call('backup:list', { to: dest })).items.map((i) => i.path)).toEqual([third.path, second.path, first.path]);
    // « Sauvegarder maintenant » rotates: of one day, only the newest backup stays; the shared blobs stay, a blob
    // no remaining backup names goes (blobGc.ts).
    const stray = 'f'.repeat(64);
    mkdirSync(join(dest, 'blobs', 'ff'), { recursive: true });
    writeFileSync(join(dest, 'blobs', 'ff', stray), 'plus nommée');
    const fourth = await t.call('backup:now', { to: dest });
    expect((await t.call('backup:list', { to: dest })).items.map((i) => i.path)).toEqual([fourth.path]);
    expect(fourth.blobsCopied).toBe(0);
    expect(existsSync(join(dest, 'blobs', 'ff', stray))).toBe(false);
    for (const b of (await readManifest(fourth.path)).blobs) expect(existsSync(join(dest, 'blobs', b.name.slice(0, 2), b.name))).toBe(true);
  });

  it('restores into a new folder: people, notes of every visibility, papers and users come back, the copy is a new device', async () => {
    const { path } = await t.call('backup:now', { to: dest });
    const into = join(tempDir('solidariciel-restore-'), 'Restaurée.solidariciel');
    const report = await restoreBackup(path, into, { userName: 'admin', password: PASSWORD });
    expect(report).toMatchObject({ ok: true, papers: 1, problems: [] });
    const copy = await unlockCopy(into);
    try {
      const people = (await copy.call('people:search', { query: '', limit: 10 })) as { items: { firstName: string }[] };
      expect(people.items.map((p) => p.firstName)).toEqual(['Zoubida']);
      const notes = (await copy.call('notes:list', { personId })) as { items: { text: string }[] };
      const before = (await t.call('notes:list', { personId })).items.map((n) => n.text).sort();
      expect(before.length).toBeGreaterThanOrEqual(3);
      expect(notes.items.map((n) => n.text).sort()).toEqual(before);
      const docs = (await copy.call('vault:listDocuments', { personId })) as { items: { id: string }[] };
      const read = (await copy.call('vault:readDocument', { id: docs.items[0]!.id })) as { bytes: Uint8Array };
      const original = (await t.call('vault:readDocument', { id: docs.items[0]!.id })).bytes;
      expect(Buffer.from(read.bytes).equals(Buffer.from(original))).toBe(true);
      const users = (await copy.call('users:list', {})) as { items: { name: string }[] };
      expect(users.items.map((u) => u.name).sort()).toEqual(['admin', 'bea']);
      const s = copy.core.session()!;
      const device = (await s.ctx.db('meta').where({ key: 'device_id' }).first('value')) as { value: string };
      const old = (await t.core.session()!.ctx.db('meta').where({ key: 'device_id' }).first('value')) as { value: string };
      expect(device.value).not.toBe(old.value);
    } finally {
      await copy.core.close();
    }
    // Bea's note is restored too: she reads it in the copy with her own password.
    const asBea = await unlockCopy(into, 'bea');
    try {
      const notes = (await asBea.call('notes:list', { personId })) as { items: { text: string }[] };
      expect(notes.items.map((n) => n.text)).toContain('Note pour Béa');
    } finally {
      await asBea.core.close();
    }
  });

  it('opens with the recovery code, and refuses a wrong password and a non-empty target without writing anything', async () => {
    const { path } = await t.call('backup:now', { to: dest });
    const report = await verifyBackup(path, { recoveryCode: t.recoveryCode });
    expect(report).toEqual({ ok: true, papers: 1, problems: [] });
    await expect(verifyBackup(path, { userName: 'admin', password: 'faux mot de passe' })).rejects.toMatchObject({ code: 'WRONG_CREDENTIALS' });
    const busy = tempDir('solidariciel-busy-');
    writeFileSync(join(busy, 'lettre.txt'), 'à garder');
    await expect(restoreBackup(path, busy, { userName: 'admin', password: PASSWORD })).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    expect(readdirSync(busy)).toEqual(['lettre.txt']);
    const missing = join(tempDir('solidariciel-r-'), 'nouveau');
    await expect(restoreBackup(path, missing, { userName: 'admin', password: 'faux' })).rejects.toMatchObject({ code: 'WRONG_CREDENTIALS' });
    expect(existsSync(missing)).toBe(false);
  });

  it('verify names a damaged blob and a damaged database file', async () => {
    const { path } = await t.call('backup:now', { to: dest });
    const [blob] = (await readManifest(path)).blobs;
    const blobPath = join(dest, 'blobs', blob!.name.slice(0, 2), blob!.name);
    const bytes = readFileSync(blobPath);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
    writeFileSync(blobPath, bytes);
    const r = await t.call('backup:verify', { path });
    expect(r.ok).toBe(false);
    expect(r.problems.join(' ')).toMatch(/altéré/);
    expect((await t.call('backup:status', {})).items).toEqual([]); // no destination chosen on this PC yet
    const db = join(path, 'association.db');
    const d = readFileSync(db);
    d.writeUInt8(d.readUInt8(5000) ^ 1, 5000);
    writeFileSync(db, d);
    const r2 = await verifyBackup(path, { userName: 'admin', password: PASSWORD });
    expect(r2.ok).toBe(false);
    expect(r2.problems.join(' ')).toMatch(/association\.db/);
  });

  it('runs the hooks: files kept next to the backups, steps after a restore', async () => {
    const hooks = emptyBackupHooks();
    hooks.destinationFiles.push({ name: 'register', files: async () => [{ name: 'effacements.json', bytes: Buffer.from('{"erased":["x"]}') }] });
    const seen: string[] = [];
    hooks.afterRestore.push({
      name: 'probe',
      run: async ({ db, destination }) => {
        seen.push(destination, String(((await db('people').count({ n: '*' })) as { n: number }[])[0]!.n));
      },
    });
    const r = await backupNow(source(), dest, new Date(), hooks);
    expect(readFileSync(join(dest, 'effacements.json'), 'utf8')).toBe('{"erased":["x"]}');
    await restoreBackup(r.path, join(tempDir('solidariciel-r-'), 'copie'), { userName: 'admin', password: PASSWORD }, hooks);
    expect(seen).toEqual([dest, '1']);
  });

  it('a backup taken while imports and vault adds run restores to a consistent state', async () => {
    const writes = (async () => {
      for (let i = 0; i < 6; i++) {
        await t.call('people:create', { person: { firstName: `Pendant${i}`, lastName: 'Sauvegarde' } });
        await t.call('vault:addDocument', { personId, meta: { type: 'autre' }, files: [{ name: `p${i}.png`, bytes: fixture('scans', 'carte-identite-specimen.png') }] });
      }
    })();
    const backups = [];
    for (let i = 0; i < 3; i++) backups.push(await backupNow(source(), dest, new Date()));
    await writes;
    for (const b of backups) {
      const report = await verifyBackup(b.path, { userName: 'admin', password: PASSWORD });
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
    }
  });

  it('keeps the destination per PC and says when the last good backup was made', async () => {
    expect((await t.call('backup:status', {})).overdue).toBe(true);
    mkdirSync(dest, { recursive: true });
    await t.call('backup:setDestination', { to: dest });
    const made = await t.call('backup:now', {});
    const s = await t.call('backup:status', {});
    expect(s).toMatchObject({ destination: dest, lastGoodAt: made.createdAt, overdue: false });
    expect(s.items.map((i) => i.path)).toEqual([made.path]);
    await t.call('backup:verify', { path: made.path });
    expect((await t.call('backup:status', {})).items[0]!.verified).toBe(true);
    expect((await listBackups(dest)).length).toBe(1);
  });
});
