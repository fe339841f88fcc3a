/**
 * Blob store garbage at a backup destination (main/services/backup/blobGc.ts, docs/backup.md): after rotation, the
 * blobs no remaining backup names are deleted, never one a backup still names, and a crash in the middle leaves
 * every remaining backup with all its blobs.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectBlobs, removeBackup } from '../../../main/services/backup/blobGc';
import { listBackups } from '../../../main/services/backup/layout';

let dest: string;
beforeEach(() => {
  dest = mkdtempSync(join(tmpdir(), 'solidariciel-blobgc-'));
});
afterEach(() => rmSync(dest, { recursive: true, force: true }));

/** A blob of the destination's store named by the SHA-256 of its bytes; returns its name. */
function blob(text: string): string {
  const name = createHash('sha256').update(text).digest('hex');
  mkdirSync(join(dest, 'blobs', name.slice(0, 2)), { recursive: true });
  writeFileSync(join(dest, 'blobs', name.slice(0, 2), name), text);
  return name;
}
const blobPath = (name: string) => join(dest, 'blobs', name.slice(0, 2), name);

/** A complete backup folder whose manifest names `blobs`. */
function backup(folder: string, associationId: string, blobs: string[]): string {
  const path = join(dest, folder);
  mkdirSync(path);
  const manifest = { format: 'solidariciel-backup', version: 1, associationId, createdAt: '2026-12-06T05:00:00.000Z', sourceDeviceId: 'd', synced: false, files: [], blobs: blobs.map((name) => ({ name, bytes: 1 })), bytes: 0 };
  writeFileSync(join(path, 'manifest.json'), JSON.stringify(manifest));
  return path;
}

describe('collectBlobs', () => {
  it('deletes the blobs no backup names, keeps those any backup names (every association sharing the stick)', async () => {
    const [shared, mine, theirs, gone1, gone2] = ['partagée', 'à moi', 'à eux', 'ancienne 1', 'ancienne 2'].map(blob) as [string, string, string, string, string];
    backup('sauvegarde-2026-12-06T05-00-00-000Z-aaaa', 'asso-A', [shared, mine]);
    backup('sauvegarde-2026-12-06T05-00-00-000Z-bbbb', 'asso-B', [shared, theirs]);
    expect(await collectBlobs(dest)).toEqual({ removed: 2, kept: 3 });
    for (const kept of [shared, mine, theirs]) expect(existsSync(blobPath(kept))).toBe(true);
    for (const removed of [gone1, gone2]) expect(existsSync(blobPath(removed))).toBe(false);
    expect(await collectBlobs(dest)).toEqual({ removed: 0, kept: 3 });
  });

  it('after rotation removed a backup, its blobs go unless a remaining backup names them', async () => {
    const [old, both, recent] = ['vieille', 'commune', 'récente'].map(blob) as [string, string, string];
    const dropped = backup('sauvegarde-2026-11-01T05-00-00-000Z-aaaa', 'asso-A', [old, both]);
    backup('sauvegarde-2026-12-06T05-00-00-000Z-bbbb', 'asso-A', [both, recent]);
    await removeBackup(dropped);
    expect((await listBackups(dest)).map((b) => b.path)).toEqual([join(dest, 'sauvegarde-2026-12-06T05-00-00-000Z-bbbb')]);
    expect(await collectBlobs(dest)).toEqual({ removed: 1, kept: 2 });
    expect([old, both, recent].map((n) => existsSync(blobPath(n)))).toEqual([false, true, true]);
  });

  it('deletes nothing while a backup is being written, or when a manifest cannot be read', async () => {
    const orphan = blob('orpheline');
    backup('sauvegarde-2026-12-06T05-00-00-000Z-aaaa', 'asso-A', []);
    mkdirSync(join(dest, '.tmp-0123456789abcdef'));
    expect(await collectBlobs(dest)).toMatchObject({ removed: 0, skipped: expect.stringContaining('en cours d’écriture') });
    rmSync(join(dest, '.tmp-0123456789abcdef'), { recursive: true });
    writeFileSync(join(backup('sauvegarde-2026-12-06T06-00-00-000Z-bbbb', 'asso-A', []), 'manifest.json'), '{ abîmé');
    expect(await collectBlobs(dest)).toMatchObject({ removed: 0, skipped: expect.stringContaining('illisible') });
    expect(existsSync(blobPath(orphan))).toBe(true);
  });

  it('a failure in the middle of the deletions leaves every remaining backup with all its blobs', async () => {
    const named = ['a', 'b', 'c'].map(blob);
    backup('sauvegarde-2026-12-06T05-00-00-000Z-aaaa', 'asso-A', named);
    const orphans = Array.from({ length: 6 }, (_, i) => blob(`orpheline ${i}`)).sort();
    // The fourth orphan cannot be deleted (a folder where a blob file should be): the collection stops there.
    const stuck = orphans[3]!;
    rmSync(blobPath(stuck));
    mkdirSync(blobPath(stuck));
    await expect(collectBlobs(dest)).rejects.toThrow();
    for (const n of named) expect(existsSync(blobPath(n))).toBe(true);
    expect(orphans.slice(0, 3).map((n) => existsSync(blobPath(n)))).toEqual([false, false, false]);
    rmSync(blobPath(stuck), { recursive: true });
    expect(await collectBlobs(dest)).toEqual({ removed: 2, kept: 3 });
    for (const n of named) expect(existsSync(blobPath(n))).toBe(true);
  });
});
