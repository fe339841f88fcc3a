/**
 * The page of an attestation de dépôt (docs/deposit-receipt.md): A4, one page, Helvetica (WinAnsi: a character
 * outside it is printed « ? », the embedded statement keeps the exact text). It shows the association, the person,
 * the agent, the date and time, the deposit id, each paper's type, pages and SHA-256, the statement's Ed25519
 * signature with the fingerprints of the association's root key and of the signing key, and a QR code (ISO/IEC 18004,
 * npm `qrcode`) holding the deposit id, the statement's SHA-256 and its signature. The statement's JSON and the
 * empty signature and time-stamp placeholders go in the document information dictionary (receiptFile.ts).
 *
 * Deterministic: the same statement and signature give the same bytes (no clock, no random id; the dates written are
 * the statement's own).
 */
import { createHash } from 'node:crypto';
import QRCode from 'qrcode';
import { PDFDict, PDFDocument, PDFHexString, PDFName, StandardFonts, rgb } from 'pdf-lib';
import { DOCUMENT_TYPE_LABELS_FR } from '../../../shared/domain/document';
import type { ReceiptStatement } from '../../../shared/domain/papers';
import { drawableWith } from '../association/recovery';
import { EMPTY_SIGNATURE, EMPTY_TIMESTAMP, SIGNATURE_KEY, STATEMENT_KEY, TIMESTAMP_KEY } from './receiptFile';

/** Papers that fit on the one page. */
export const MAX_RECEIPT_PAPERS = 20;

/** A fingerprint as people compare it: SHA-256 over a domain-prefixed key, first 16 bytes, hex in groups of four. */
export function publicKeyFingerprint(kind: 'root' | 'signer', publicKeyB64: string): string {
  const hex = createHash('sha256').update(`solidariciel/v1/${kind}-key-fingerprint|${publicKeyB64}`, 'utf8').digest('hex').slice(0, 32);
  return hex.match(/.{4}/g)!.join(' ').toUpperCase();
}

/** « 06/12/2026 à 09:14 » in the PC's time zone. */
export function frenchDateTime(iso: string): string {
  const d = new Date(iso);
  const date = d.toLocaleDateString('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric' });
  const time = d.toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit' });
  return `${date} à ${time}`;
}

/** What the QR code holds: `SOLIDARICIEL-ATTESTATION:1:<deposit id>:<SHA-256 of the statement>:<signature hex>`. */
export function qrText(statementJson: string, statementSignatureHex: string, depositId: string): string {
  return `SOLIDARICIEL-ATTESTATION:1:${depositId}:${createHash('sha256').update(statementJson, 'utf8').digest('hex')}:${statementSignatureHex}`;
}

/**
 * The receipt's PDF with empty placeholders. `statementJson` is the exact JSON signed; `statementSignatureHex` its
 * Ed25519 signature (printed and in the QR code).
 */
export async function receiptPdf(statement: ReceiptStatement, statementJson: string, statementSignatureHex: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const issued = new Date(statement.issuedAt);
  doc.setTitle(`Attestation de dépôt ${statement.depositId}`);
  doc.setCreator('Solidariciel');
  doc.setProducer('Solidariciel');
  doc.setCreationDate(issued);
  doc.setModificationDate(new Date(statement.reprintedAt ?? statement.issuedAt));
  const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
  info.set(PDFName.of(STATEMENT_KEY), PDFHexString.of(Buffer.from(statementJson, 'utf8').toString('hex')));
  info.set(PDFName.of(TIMESTAMP_KEY), PDFHexString.of(EMPTY_TIMESTAMP));
  info.set(PDFName.of(SIGNATURE_KEY), PDFHexString.of(EMPTY_SIGNATURE));

  const page = doc.addPage([595.28, 841.89]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const mono = await doc.embedFont(StandardFonts.Courier);
  const t = drawableWith(font);
  const ink = rgb(0.1, 0.1, 0.1);
  const left = 50;
  let y = 785;
  const text = (s: string, x: number, size = 10, f = font) => page.drawText(f === mono ? s : t(s), { x, y, size, font: f, color: ink });
  const line = (s: string, size = 10, f = font, gap = 15) => {
    text(s, left, size, f);
    y -= gap;
  };

  line('Attestation de dépôt de pièces', 18, bold, 24);
  line(statement.associationName, 12, bold, 26);
  line(`Personne : ${statement.person.firstName} ${statement.person.lastName}`, 11, font, 16);
  line(`Pièces reçues par : ${statement.agent.displayName} (${statement.agent.name})`, 11, font, 16);
  line(`Date et heure du dépôt : ${frenchDateTime(statement.issuedAt)}`, 11, font, 16);
  line(`Identifiant du dépôt : ${statement.depositId}`, 11, font, statement.reprintedAt ? 16 : 26);
  if (statement.reprintedAt) line(`Réimpression du ${frenchDateTime(statement.reprintedAt)}`, 10, font, 26);

  line(`Pièces déposées (${statement.documents.length})`, 12, bold, 18);
  text('Pièce', left, 9, bold);
  text('Pages', 228, 9, bold);
  text('Empreinte SHA-256', 268, 9, bold);
  y -= 14;
  for (const d of statement.documents) {
    text(DOCUMENT_TYPE_LABELS_FR[d.type], left, 9);
    text(String(d.pages), 228, 9);
    text(d.sha256, 268, 7.4, mono);
    y -= 14;
  }
  y -= 14;

  const signatureTop = y;
  const signedBy = statement.signer.userId === statement.agent.id ? 'de l’agent' : 'de la personne qui a réimprimé l’attestation';
  line('Signature électronique (Ed25519)', 12, bold, 17);
  line(`Signée avec la clé ${signedBy}, certifiée par la clé de l’association.`, 9, font, 14);
  line(`Empreinte de la clé de l’association : ${publicKeyFingerprint('root', statement.signer.rootPublicKey)}`, 9, font, 14);
  line(`Empreinte de la clé de signature : ${publicKeyFingerprint('signer', statement.signer.signPublicKey)}`, 9, font, 14);
  line('Signature de la déclaration :', 9, font, 12);
  line(statementSignatureHex.slice(0, 64), 7.4, mono, 10);
  line(statementSignatureHex.slice(64), 7.4, mono, 18);

  // The QR code, drawn as vector squares (no image), 120 pt wide, beside the signature block.
  const qr = QRCode.create(qrText(statementJson, statementSignatureHex, statement.depositId), { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const cell = 120 / n;
  const qx = 595.28 - 45 - n * cell;
  const qy = signatureTop + 12 - n * cell;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (qr.modules.get(r, c)) page.drawRectangle({ x: qx + c * cell, y: qy + (n - 1 - r) * cell, width: cell, height: cell, color: rgb(0, 0, 0) });
  }

  y = 110;
  for (const s of [
    'Cette attestation dit quelles pièces ont été confiées, quand et à qui : chaque pièce est',
    'identifiée par son empreinte SHA-256 (copie fiable : Code civil art. 1379, décret n° 2016-1673).',
    'Le fichier entier est signé : toute modification est détectée. Pour la vérifier :',
    'Solidariciel › Pièces à renouveler › Vérifier une attestation,',
    'ou « vault verify-receipt » (hors ligne).',
  ]) line(s, 8.5, font, 12);

  return doc.save({ useObjectStreams: false });
}
