/**
 * The receipt page alone (main/services/papers/receiptPdf.ts): deterministic bytes for one statement; a name outside
 * WinAnsi printed with « ? » while the embedded statement keeps it exactly; the QR text's shape.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { qrText, receiptPdf } from '../../../main/services/papers/receiptPdf';
import type { ReceiptStatement } from '../../../shared/domain/papers';

const statement: ReceiptStatement = {
  format: 'solidariciel-deposit-receipt',
  version: 1,
  associationId: 'assoc-1',
  associationName: 'Entraide Paris 11',
  depositId: '01900000-0000-7000-8000-000000000001',
  issuedAt: '2026-12-06T09:14:00.000Z',
  person: { id: '01900000-0000-7000-8000-000000000002', firstName: 'Łucja', lastName: 'Öztürk' },
  agent: { id: '01900000-0000-7000-8000-000000000003', name: 'sophie', displayName: 'Sophie Martin' },
  documents: [{ id: '01900000-0000-7000-8000-000000000004', type: 'passeport', pages: 3, sha256: 'a'.repeat(64) }],
  reprintedAt: null,
  signer: { userId: '01900000-0000-7000-8000-000000000003', publicKey: 'cGs', signPublicKey: 'c3Br', keyCert: 'Y2VydA', rootPublicKey: 'cm9vdA' },
};

describe('receipt page', () => {
  it('writes the same bytes for the same statement and keeps the exact names in the embedded statement', async () => {
    const json = JSON.stringify(statement);
    const a = await receiptPdf(statement, json, 'b'.repeat(128));
    const b = await receiptPdf(statement, json, 'b'.repeat(128));
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
    const text = Buffer.from(a).toString('latin1');
    const hex = /\/SolidaricielStatement <([0-9a-f]+)>/.exec(text)![1]!;
    expect(JSON.parse(Buffer.from(hex, 'hex').toString('utf8')).person).toEqual({ id: statement.person.id, firstName: 'Łucja', lastName: 'Öztürk' });
  });

  it('puts the deposit id, the statement hash and the signature in the QR text', () => {
    const json = JSON.stringify(statement);
    expect(qrText(json, 'c'.repeat(128), statement.depositId)).toBe(`SOLIDARICIEL-ATTESTATION:1:${statement.depositId}:${createHash('sha256').update(json).digest('hex')}:${'c'.repeat(128)}`);
  });
});
