/**
 * The scan folder's inbox « À classer » through the core's channels: files offered only once stable, filed into a
 * person's papers (one paper from several files), originals removed only after the paper is committed, kept when
 * the add fails, discarded into `.rejetés`, links and hostile names never offered.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, newTestCore, tempDir, type TestCore } from '../helpers/core';
import { InboxFolder } from '../../main/scan/inbox/folder';
import { MemoryPreferences } from '../../main/core/filePreferences';

let t: TestCore;
let folder: string;
let personId: string;

beforeEach(async () => {
  t = await newTestCore();
  folder = tempDir('inbox-');
  personId = (await t.call('people:create', { person: { firstName: 'Awa', lastName: 'Diallo' } })).id;
});
afterEach(() => t.cleanup());

/** Lists twice (two polls): what is stable shows up. */
async function listTwice() {
  await t.call('inbox:list', {});
  return (await t.call('inbox:list', {})).items;
}

describe('inbox « À classer »', () => {
  it('offers a file only once its size and mtime are stable at two polls, never an unknown kind or a hidden file', async () => {
    await t.call('inbox:setFolder', { path: folder });
    expect(await t.call('inbox:getFolder', {})).toEqual({ path: folder });
    writeFileSync(join(folder, 'scan-001.jpg'), fixture('scans', 'attestation-domicile-p1.jpg'));
    writeFileSync(join(folder, 'notes.txt'), 'pas un scan');
    writeFileSync(join(folder, '.~lock.pdf'), '%PDF-');
    expect((await t.call('inbox:list', {})).items).toEqual([]); // first sight: maybe still being written
    const [item] = (await t.call('inbox:list', {})).items;
    expect(item).toMatchObject({ name: 'scan-001.jpg', kind: 'jpeg', size: fixture('scans', 'attestation-domicile-p1.jpg').byteLength });
    // The printer appends: not offered again until stable.
    writeFileSync(join(folder, 'scan-001.jpg'), Buffer.concat([Buffer.from(fixture('scans', 'attestation-domicile-p1.jpg')), Buffer.alloc(10)]));
    utimesSync(join(folder, 'scan-001.jpg'), new Date(), new Date(Date.now() + 5000));
    expect((await t.call('inbox:list', {})).items).toEqual([]);
    expect(await t.call('inbox:list', {})).toMatchObject({ items: [{ name: 'scan-001.jpg' }] });
  });

  it('files two files as one paper, then removes the originals; the preview gives the bytes', async () => {
    await t.call('inbox:setFolder', { path: folder });
    writeFileSync(join(folder, 'p1.jpg'), fixture('scans', 'attestation-domicile-p1.jpg'));
    writeFileSync(join(folder, 'p2.jpg'), fixture('scans', 'attestation-domicile-p2.jpg'));
    const items = await listTwice();
    expect(items.map((i) => i.name)).toEqual(['p1.jpg', 'p2.jpg']);
    const preview = await t.call('inbox:preview', { id: items[0]!.id });
    expect(preview.mime).toBe('image/jpeg');
    expect(Buffer.from(preview.bytes).equals(readFileSync(join(folder, 'p1.jpg')))).toBe(true);
    const stored = await t.call('inbox:file', { ids: items.map((i) => i.id), personId, meta: { type: 'attestation_domiciliation' } });
    expect(stored.pages).toBe(2);
    expect(readdirSync(folder)).toEqual([]);
    const papers = await t.call('vault:listDocuments', { personId });
    expect(papers.items.map((p) => p.id)).toEqual([stored.id]);
    expect(await listTwice()).toEqual([]);
  });

  it('keeps the file in the folder when the vault add fails (unreadable file, unknown person)', async () => {
    await t.call('inbox:setFolder', { path: folder });
    writeFileSync(join(folder, 'faux.jpg'), 'bonjour, je ne suis pas une image');
    const [item] = await listTwice();
    await expect(t.call('inbox:file', { ids: [item!.id], personId, meta: { type: 'autre' } })).rejects.toThrow(/faux\.jpg/);
    await expect(t.call('inbox:file', { ids: [item!.id], personId: '0190a5a0-0000-7000-8000-000000000000', meta: { type: 'autre' } })).rejects.toThrow();
    expect(readdirSync(folder)).toEqual(['faux.jpg']);
    expect((await t.call('vault:listDocuments', { personId })).items).toEqual([]);
  });

  it('puts a file aside in .rejetés without deleting it, under a free name', async () => {
    await t.call('inbox:setFolder', { path: folder });
    mkdirSync(join(folder, '.rejetés'));
    writeFileSync(join(folder, '.rejetés', 'doublon.pdf'), 'older');
    writeFileSync(join(folder, 'doublon.pdf'), fixture('scans', 'attestation-caf-2pages.pdf'));
    const [item] = await listTwice();
    await t.call('inbox:discard', { id: item!.id });
    expect(readdirSync(join(folder, '.rejetés')).sort()).toEqual(['doublon (2).pdf', 'doublon.pdf']);
    expect(readdirSync(folder)).toEqual(['.rejetés']);
    await expect(t.call('inbox:discard', { id: item!.id })).rejects.toThrow(/n’est plus dans le dossier/);
  });

  it('never offers or follows a link, and refuses a folder that is a link, missing or relative', async () => {
    const outside = tempDir('outside-');
    writeFileSync(join(outside, 'secret.pdf'), '%PDF-1.4 secret');
    symlinkSync(join(outside, 'secret.pdf'), join(folder, 'lien.pdf'));
    await t.call('inbox:setFolder', { path: folder });
    expect(await listTwice()).toEqual([]);
    symlinkSync(folder, join(outside, 'dossier-lien'));
    await expect(t.call('inbox:setFolder', { path: join(outside, 'dossier-lien') })).rejects.toThrow(/est un lien/);
    await expect(t.call('inbox:setFolder', { path: join(outside, 'absent') })).rejects.toThrow(/introuvable/);
    await expect(t.call('inbox:setFolder', { path: 'relatif/scans' })).rejects.toThrow(/chemin complet/);
    await expect(t.call('inbox:preview', { id: '../../etc/passwd' as string })).rejects.toThrow(/VALIDATION/);
    expect(existsSync(join(outside, 'secret.pdf'))).toBe(true);
  });

  it('keeps the original when it changed after being read (a rescan under the same name)', async () => {
    const f = new InboxFolder(new MemoryPreferences());
    await f.setFolder(folder);
    writeFileSync(join(folder, 'a.png'), fixture('scans', 'carte-identite-specimen.png'));
    await f.poll();
    await f.poll();
    const read = await f.read(f.list()[0]!.id);
    writeFileSync(join(folder, 'a.png'), 'rescanned');
    expect(await f.remove(read.name, read)).toBe(false);
    expect(existsSync(join(folder, 'a.png'))).toBe(true);
  });

  it('needs an unlocked session', async () => {
    await t.call('session:lock', { reason: 'user' });
    await expect(t.call('inbox:list', {})).rejects.toThrow(/LOCKED/);
  });
});
