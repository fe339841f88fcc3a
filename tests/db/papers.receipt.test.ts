/**
 * Attestations de dépôt (docs/deposit-receipt.md): the PDF read back with poppler's `pdftotext` and `pdfinfo` (one
 * page; association, person, agent, date, deposit id, each paper's type, pages and SHA-256, the fingerprints); the
 * signature checked good, then refused after one byte is flipped anywhere in the file, after a paper is replaced,
 * for another association's receipt; reprints audited; access refused without `documents.read`; the QR code read back
 * from the page rendered by `pdftoppm` (jsQR) holds the deposit id, the statement's hash and its valid signature.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, newTestCore, tempDir, type TestCore } from '../helpers/core';
import { addUser, expectForbidden, switchTo } from '../helpers/access';
import { publicKeyFingerprint } from '../../main/services/papers/receiptPdf';
import { fromB64, toB64 } from '../../main/crypto/identity';
import { verifyDetached } from '../../main/sync/ed25519';
import { v7 as uuidv7 } from 'uuid';

const scan = (name: string) => ({ name, bytes: fixture('scans', name) });

/** The text poppler reads from `pdf` (fails the test when pdftotext is missing: apt package poppler-utils). */
function pdfText(pdf: Uint8Array): { text: string; pages: number } {
  const file = join(tempDir('solidariciel-receipt-'), 'r.pdf');
  writeFileSync(file, pdf);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return { text, pages: Number(/^Pages:\s+(\d+)/m.exec(info)![1]) };
}

describe('deposit receipt', () => {
  let t: TestCore;
  let other: TestCore;
  let personId: string;
  let ids: string[];
  let shas: string[];
  let pdf: Uint8Array;
  let depositId: string;

  beforeAll(async () => {
    t = await newTestCore();
    other = await newTestCore();
    personId = (await t.call('people:create', { person: { firstName: 'Aminata', lastName: 'Traoré', kinds: ['beneficiary'] } })).id;
    const a = await t.call('vault:addDocument', { personId, meta: { type: 'carte_identite', expiresOn: '2031-05-01' }, files: [scan('carte-identite-specimen.png')] });
    const b = await t.call('vault:addDocument', { personId, meta: { type: 'attestation_caf' }, files: [scan('attestation-caf-2pages.pdf')] });
    ids = [a.id, b.id];
    shas = [a.sha256, b.sha256];
    const r = await t.call('deposits:issue', { personId, documentIds: ids });
    pdf = r.pdf;
    depositId = r.depositId;
    expect(r.timestamp).toBeNull();
  }, 60_000);

  afterAll(async () => {
    await t.cleanup();
    await other.cleanup();
  });

  it('prints one page naming the association, the person, the agent, the deposit and each paper with its SHA-256', async () => {
    const { text, pages } = pdfText(pdf);
    expect(pages).toBe(1);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('Attestation de dépôt de pièces');
    expect(flat).toContain('Entraide Paris 11');
    expect(flat).toContain('Personne : Aminata Traoré');
    expect(flat).toContain('Pièces reçues par : admin');
    expect(flat).toMatch(/Date et heure du dépôt : \d{2}\/\d{2}\/\d{4} à \d{2}:\d{2}/);
    expect(flat).toContain(`Identifiant du dépôt : ${depositId}`);
    expect(flat).toMatch(/carte d'identité 1 /);
    expect(flat).toMatch(/attestation CAF 2 /);
    for (const sha of shas) expect(flat).toContain(sha);
    const session = t.core.session()!;
    const root = await toB64(session.association.keys.rootPublicKey!);
    expect(flat).toContain(`Empreinte de la clé de l’association : ${publicKeyFingerprint('root', root)}`);
    expect(flat).toContain('Code civil art. 1379');
  });

  it('verifies an intact receipt and names its papers', async () => {
    const v = await t.call('deposits:verify', { pdf });
    expect(v).toMatchObject({ ok: true, reason: null, depositId, personName: 'Aminata Traoré', documents: [
        { id: ids[0], type: 'carte_identite', ok: true, reason: null },
        { id: ids[1], type: 'attestation_caf', ok: true, reason: null },
      ],
    });
  });

  it('detects one byte flipped anywhere in the file', async () => {
    const text = Buffer.from(pdf).toString('latin1');
    const at = (needle: string, shift = 0) => text.indexOf(needle) + shift;
    const positions = [
      10, // header
      Math.floor(pdf.length / 3), // page content
      at('/SolidaricielStatement <', 40), // the embedded statement
      at('/SolidaricielSignature <', 30), // the signature
      at('/SolidaricielTimestamp <', 500), // the empty time-stamp placeholder
      at('/SolidaricielSignature', 3), // a placeholder's name
      pdf.length - 3, // the trailer
    ];
    for (const p of positions) {
      expect(p).toBeGreaterThan(0);
      const bad = new Uint8Array(pdf);
      bad[p] = bad[p]! ^ 0x01;
      const v = await t.call('deposits:verify', { pdf: bad });
      expect({ p, ok: v.ok }).toEqual({ p, ok: false });
      expect(v.reason).toMatch(/^Attestation non valable : /);
    }
  });

  it('refuses a receipt of another association and a file that is not a receipt', async () => {
    const v = await other.call('deposits:verify', { pdf });
    expect(v.ok).toBe(false);
    expect(v.reason).toContain("d'une autre association");
    const plain = await t.call('deposits:verify', { pdf: fixture('scans', 'attestation-caf-2pages.pdf') });
    expect(plain).toMatchObject({ ok: false, reason: "Attestation non valable : ce PDF n'est pas une attestation de dépôt signée par Solidariciel." });
  });

  it('reprints the receipt (audited), and a replaced paper no longer matches', async () => {
    const again = await t.call('deposits:reprint', { depositId });
    expect(again.depositId).toBe(depositId);
    expect(pdfText(again.pdf).text).toMatch(/Réimpression du/);
    expect((await t.call('deposits:verify', { pdf: again.pdf })).ok).toBe(true);
    expect((await t.call('deposits:list', { personId })).items).toEqual([expect.objectContaining({ depositId, documents: 2 })]);
    const audit = await t.call('audit:list', { action: 'deposit.reprint' });
    expect(audit.items.map((e) => e.targetId)).toEqual([personId]);
    expect((await t.call('audit:list', { action: 'deposit.issue' })).total).toBe(1);

    await t.call('vault:replaceDocument', { id: ids[0]!, files: [scan('attestation-domicile-p1.jpg')] });
    const v = await t.call('deposits:verify', { pdf });
    expect(v.ok).toBe(false);
    expect(v.documents).toEqual([
      { id: ids[0], type: 'carte_identite', ok: false, reason: expect.stringContaining('remplacée depuis') },
      { id: ids[1], type: 'attestation_caf', ok: true, reason: null },
    ]);
    expect(v.reason).toContain(ids[0]!);
  });

  it('refuses papers of another person and too many papers, and users without documents.read', async () => {
    const otherPerson = (await t.call('people:create', { person: { firstName: 'Jean', lastName: 'Petit' } })).id;
    await expect(t.call('deposits:issue', { personId: otherPerson, documentIds: [ids[1]!] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const many = Array.from({ length: 21 }, () => uuidv7());
    await expect(t.call('deposits:issue', { personId, documentIds: many })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('20 pièces au plus') });
    await addUser(t, 'benevole', 'volunteer');
    await switchTo(t, 'benevole');
    await expectForbidden(t.call('deposits:issue', { personId, documentIds: ids }), 'documents.read');
    await expectForbidden(t.call('deposits:verify', { pdf }), 'documents.read');
    await switchTo(t, 'admin');
  });

  it('erasing the person removes their receipts (PERSON_TABLES)', async () => {
    const db = t.core.session()!.ctx.db;
    expect(await db('deposit_receipts').where({ person_id: personId }).count({ n: '*' })).toEqual([{ n: 1 }]);
    await t.call('people:erase', { id: personId, confirmName: 'Aminata Traoré' });
    expect(await db('deposit_receipts').where({ person_id: personId }).count({ n: '*' })).toEqual([{ n: 0 }]);
    await expect(t.call('deposits:reprint', { depositId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('the QR code, read back from the printed page, holds the deposit id, the statement hash and its valid signature', async () => {
    const dir = tempDir('solidariciel-qr-');
    writeFileSync(join(dir, 'r.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', join(dir, 'r.pdf'), join(dir, 'page')]);
    const png = PNG.sync.read(readFileSync(join(dir, 'page.png')));
    const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(qr, 'no QR code found on the page').not.toBeNull();
    const [prefix, version, deposit, statementHash, signature] = qr!.data.split(':');
    expect([prefix, version, deposit]).toEqual(['SOLIDARICIEL-ATTESTATION', '1', depositId]);
    const hex = /\/SolidaricielStatement <([0-9a-f]+)>/.exec(Buffer.from(pdf).toString('latin1'))![1]!;
    const json = Buffer.from(hex, 'hex').toString('utf8');
    expect(statementHash).toBe(createHash('sha256').update(json).digest('hex'));
    const statement = JSON.parse(json) as { depositId: string; documents: { sha256: string }[]; signer: { signPublicKey: string } };
    expect(statement.documents.map((d) => d.sha256)).toEqual(shas);
    const key = await fromB64(statement.signer.signPublicKey);
    expect(verifyDetached(key, `solidariciel/v1/deposit-statement|${json}`, Buffer.from(signature!, 'hex'))).toBe(true);
    expect(verifyDetached(key, `solidariciel/v1/deposit-statement|${json} `, Buffer.from(signature!, 'hex'))).toBe(false);
    // The same signature is printed under « Signature de la déclaration ».
    expect(pdfText(pdf).text.replace(/\s+/g, '')).toContain(signature);
  });
});
