/**
 * The vault through the service (vault:* channels): a damaged blob is reported as VAULT_CORRUPT naming the document
 * and its id while the other documents stay readable; export gives back the exact PDF; a refused add leaves no blob.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { documentLabel } from '../../main/services/vault/vaultService';
import { fixture, newTestCore, tempDir, type TestCore } from '../helpers/core';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Every file under `dir` (temporary files included), relative paths. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p).map((f) => join(name, f)));
    else out.push(name);
  }
  return out.sort();
}

describe('vault through the service', () => {
  let t: TestCore;
  let personId: string;
  let a: { id: string; pages: number; sha256: string };
  let b: { id: string; pages: number; sha256: string };
  const vaultDir = () => join(t.dir, 'vault');
  const db = () => t.core.session()!.ctx.db;
  const blobPath = async (docId: string) => {
    const row = (await db()('documents').where({ id: docId }).first()) as { blob_name: string };
    return join(vaultDir(), row.blob_name.slice(0, 2), row.blob_name);
  };
  const corruptFor = async (docId: string) => {
    const e = await t.call('vault:readDocument', { id: docId }).catch((err: Error & { code?: string }) => err);
    expect(e).toBeInstanceOf(Error);
    return e as Error & { code?: string };
  };
  const expectOtherReadable = async () => {
    const read = await t.call('vault:readDocument', { id: b.id });
    expect(sha256(read.bytes)).toBe(b.sha256);
  };
  const expectReported = async (docId: string) => {
    const doc = (await t.call('vault:listDocuments', {})).items.find((d) => d.id === docId)!;
    const e = await corruptFor(docId);
    expect(e.code).toBe('VAULT_CORRUPT');
    expect(e.message).toContain(docId);
    expect(e.message).toContain(documentLabel(doc));
    const report = await t.call('vault:verify', {});
    expect(report.checked).toBe(2);
    expect(report.failed.map((f) => f.id)).toEqual([docId]);
    expect(report.failed[0]!.title).toBe(documentLabel(doc));
    expect(report.failed[0]!.error).toContain(docId);
    await expectOtherReadable();
  };

  beforeEach(async () => {
    t = await newTestCore();
    personId = (await t.call('people:create', { person: { firstName: 'Hélène', lastName: 'Petit' } })).id;
    a = await t.call('vault:addDocument', {
      personId,
      meta: { type: 'attestation_domiciliation', title: 'Attestation de domicile' },
      files: [
        { name: 'p1.jpg', bytes: fixture('scans', 'attestation-domicile-p1.jpg') },
        { name: 'p2.jpg', bytes: fixture('scans', 'attestation-domicile-p2.jpg') },
      ],
    });
    b = await t.call('vault:addDocument', { personId, meta: { type: 'carte_identite', expiresOn: '2031-01-01' }, files: [{ name: 'cni.png', bytes: fixture('scans', 'carte-identite-specimen.png') }] });
  });
  afterEach(async () => t.cleanup());

  it('starts healthy: two blobs, both readable, verify reports nothing', async () => {
    expect(a.pages).toBe(2);
    expect(b.pages).toBe(1);
    expect(filesUnder(vaultDir())).toHaveLength(2);
    expect(await t.call('vault:verify', {})).toEqual({ checked: 2, failed: [] });
  });

  it('one byte changed in a blob on disk → VAULT_CORRUPT naming the document and its id; the other stays readable', async () => {
    const path = await blobPath(a.id);
    const bytes = readFileSync(path);
    const mid = Math.floor(bytes.length / 2);
    bytes[mid] = bytes[mid]! ^ 0x40;
    writeFileSync(path, bytes);
    await expectReported(a.id);
  });

  it('a truncated blob → VAULT_CORRUPT', async () => {
    const path = await blobPath(a.id);
    truncateSync(path, statSync(path).size - 100);
    await expectReported(a.id);
  });

  it('a deleted blob → VAULT_CORRUPT', async () => {
    rmSync(await blobPath(a.id));
    await expectReported(a.id);
  });

  it('a tampered blob renamed to its new hash (passes the name check) fails authenticated decryption → VAULT_CORRUPT', async () => {
    const path = await blobPath(a.id);
    const bytes = readFileSync(path);
    bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 0x01;
    const name = sha256(bytes);
    mkdirSync(join(vaultDir(), name.slice(0, 2)), { recursive: true });
    writeFileSync(join(vaultDir(), name.slice(0, 2), name), bytes);
    rmSync(path);
    await db()('documents').where({ id: a.id }).update({ blob_name: name });
    await expectReported(a.id);
  });

  it("a row pointing to another document's blob → VAULT_CORRUPT (wrong key), not the other document's content", async () => {
    const other = (await db()('documents').where({ id: b.id }).first()) as { blob_name: string };
    await db()('documents').where({ id: a.id }).update({ blob_name: other.blob_name });
    await expectReported(a.id);
  });

  it('an altered wrapped document key → VAULT_CORRUPT', async () => {
    const row = (await db()('documents').where({ id: a.id }).first()) as { wrapped_key: string };
    const box = JSON.parse(row.wrapped_key) as { nonce: string; ciphertext: string };
    const other = JSON.parse(((await db()('documents').where({ id: b.id }).first()) as { wrapped_key: string }).wrapped_key) as { nonce: string; ciphertext: string };
    await db()('documents').where({ id: a.id }).update({ wrapped_key: JSON.stringify({ nonce: box.nonce, ciphertext: other.ciphertext }) });
    await expectReported(a.id);
  });

  it('export writes a decrypted PDF whose SHA-256 is the recorded one, with its pages', async () => {
    const out = join(tempDir('solidariciel-export-'), 'attestation.pdf');
    try {
      expect(await t.call('vault:exportDocument', { id: a.id, path: out })).toEqual({ path: out });
      const bytes = new Uint8Array(readFileSync(out));
      expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe('%PDF-');
      expect(sha256(bytes)).toBe(a.sha256);
      const listed = (await t.call('vault:listDocuments', { personId })).items.find((d) => d.id === a.id)!;
      expect(listed.sha256).toBe(a.sha256);
      expect(listed.size).toBe(bytes.length);
      expect((await PDFDocument.load(bytes)).getPageCount()).toBe(2);
    } finally {
      rmSync(join(out, '..'), { recursive: true, force: true });
    }
  });

  it('export to a folder that does not exist → VALIDATION naming the path (not INTERNAL)', async () => {
    const dir = tempDir('solidariciel-export-');
    const path = join(dir, 'absent', 'copie.pdf');
    try {
      const e = await t.call('vault:exportDocument', { id: a.id, path }).catch((err: Error & { code?: string }) => err);
      expect(e).toMatchObject({ code: 'VALIDATION' });
      expect((e as Error).message).toContain(path);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('export of a damaged document fails with VAULT_CORRUPT and writes no file', async () => {
    rmSync(await blobPath(a.id));
    const dir = tempDir('solidariciel-export-');
    try {
      await expect(t.call('vault:exportDocument', { id: a.id, path: join(dir, 'x.pdf') })).rejects.toMatchObject({ code: 'VAULT_CORRUPT' });
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('adding to an unknown person → NOT_FOUND, and no blob (or temporary file) is written', async () => {
    const before = filesUnder(vaultDir());
    await expect(
      t.call('vault:addDocument', { personId: '0190a5a0-0000-7000-8000-000000000000', meta: { type: 'autre' }, files: [{ name: 'cni.png', bytes: fixture('scans', 'carte-identite-specimen.png') }] }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(filesUnder(vaultDir())).toEqual(before);
    expect((await db()('documents').count({ n: '*' }).first()) as { n: number }).toEqual({ n: 2 });
  });

  it('adding an unreadable file → VALIDATION naming it, and no blob is written', async () => {
    const before = filesUnder(vaultDir());
    const e = await t
      .call('vault:addDocument', { personId, meta: { type: 'autre' }, files: [{ name: 'pas-une-image.jpg', bytes: new TextEncoder().encode('bonjour, je ne suis pas une image') }] })
      .catch((err: Error & { code?: string }) => err);
    expect(e).toMatchObject({ code: 'VALIDATION' });
    expect((e as Error).message).toContain('pas-une-image.jpg');
    expect(filesUnder(vaultDir())).toEqual(before);
  });

  it('a two-page TIFF and a two-page PDF give two-page documents; a blob moved away is reported alone', async () => {
    const tif = await t.call('vault:addDocument', { personId, meta: { type: 'attestation_domiciliation' }, files: [{ name: 'a.tif', bytes: fixture('scans', 'attestation-domicile-2pages.tif') }] });
    expect(tif.pages).toBe(2);
    const pdf = await t.call('vault:addDocument', { personId, meta: { type: 'attestation_caf' }, files: [{ name: 'caf.pdf', bytes: fixture('scans', 'attestation-caf-2pages.pdf') }] });
    expect(pdf.pages).toBe(2);
    expect(filesUnder(vaultDir())).toHaveLength(4);
    expect((await t.call('vault:verify', {})).failed).toEqual([]);
    // Renaming a blob (moving it away) is seen as missing, and only that document is reported.
    const path = await blobPath(pdf.id);
    renameSync(path, `${path}.moved`);
    const report = await t.call('vault:verify', {});
    expect(report.checked).toBe(4);
    expect(report.failed.map((f) => f.id)).toEqual([pdf.id]);
  });
});
