/**
 * The signed envelope of an attestation de dépôt, inside the PDF itself (docs/deposit-receipt.md "Signature").
 *
 * As a PDF signature does with its /ByteRange (ISO 32000-1 §12.8.1), the PDF is written with fixed-size hex
 * placeholders in its document information dictionary, and what is signed is every byte of the file except the
 * placeholders' contents:
 * - `/SolidaricielTimestamp <…>`: 2 × TOKEN_MAX hex digits: the RFC 3161 token's DER, then zeros (or only zeros);
 * - `/SolidaricielSignature <…>`: 128 hex digits: the Ed25519 signature (RFC 8032).
 * `/SolidaricielStatement <…>` (the signed statement's JSON in hex) lies in the covered bytes.
 *
 * digest = SHA-256(file without the two placeholders' contents); the token (if any) is asked for that digest; the
 * signature covers `solidariciel/v1/deposit-receipt|<digest hex>|<SHA-256 of the token's DER, or of nothing>`.
 * Any byte changed anywhere is detected: in the covered bytes the digest changes; in the signature the signature
 * fails; in the token its hash changes; in the padding the zeros are checked; in a placeholder's name or bracket
 * the placeholder is not found. Each placeholder must appear exactly once.
 */
import { createHash } from 'node:crypto';

export const TOKEN_MAX = 8192;
const SIG_HEX = 128;
export const STATEMENT_KEY = 'SolidaricielStatement';
export const TIMESTAMP_KEY = 'SolidaricielTimestamp';
export const SIGNATURE_KEY = 'SolidaricielSignature';
export const EMPTY_TIMESTAMP = '0'.repeat(2 * TOKEN_MAX);
export const EMPTY_SIGNATURE = '0'.repeat(SIG_HEX);

/** Where a placeholder's hex digits lie in the file: [start, end) byte offsets. */
interface Span {
  start: number;
  end: number;
}

/** The one span of `/<key> <hex>` in `text` (latin1 view of the file), or a French reason. */
function findSpan(text: string, key: string, length: number | null): Span | string {
  const marker = `/${key} <`;
  const first = text.indexOf(marker);
  if (first < 0) return `zone « ${key} » absente`;
  if (text.indexOf(marker, first + 1) >= 0) return `zone « ${key} » présente deux fois`;
  const start = first + marker.length;
  const end = text.indexOf('>', start);
  if (end < 0 || (length !== null && end - start !== length)) return `zone « ${key} » de longueur inattendue`;
  if (!/^[0-9a-f]*$/.test(text.slice(start, end))) return `zone « ${key} » altérée (chiffres hexadécimaux attendus)`;
  return { start, end };
}

/** SHA-256 (hex) of `bytes` without the spans (which must be in file order). */
function digestWithout(bytes: Uint8Array, spans: Span[]): Buffer {
  const h = createHash('sha256');
  let at = 0;
  for (const s of spans) {
    h.update(bytes.subarray(at, s.start));
    at = s.end;
  }
  h.update(bytes.subarray(at));
  return h.digest();
}

/** The message the Ed25519 key signs (domain-separated). */
export function signedMessage(digest: Uint8Array, token: Uint8Array | null): string {
  const tokenHash = createHash('sha256').update(token ?? new Uint8Array()).digest('hex');
  return `solidariciel/v1/deposit-receipt|${Buffer.from(digest).toString('hex')}|${tokenHash}`;
}

/** The placeholders of a freshly written PDF (still zero), and the digest to time-stamp and sign. */
export function prepare(pdf: Uint8Array): { digest: Uint8Array; seal(token: Uint8Array | null, signature: Uint8Array): Uint8Array } {
  const text = Buffer.from(pdf).toString('latin1');
  const ts = findSpan(text, TIMESTAMP_KEY, 2 * TOKEN_MAX);
  const sig = findSpan(text, SIGNATURE_KEY, SIG_HEX);
  if (typeof ts === 'string' || typeof sig === 'string') throw new Error(`receipt placeholders: ${String(ts)} ${String(sig)}`);
  const spans = [ts, sig].sort((a, b) => a.start - b.start);
  const digest = new Uint8Array(digestWithout(pdf, spans));
  return {
    digest,
    seal(token, signature) {
      if (token && token.byteLength > TOKEN_MAX) throw new Error('timestamp token too large');
      const out = new Uint8Array(pdf);
      const tokenHex = Buffer.from(token ?? new Uint8Array()).toString('hex').padEnd(2 * TOKEN_MAX, '0');
      out.set(Buffer.from(tokenHex, 'latin1'), ts.start);
      out.set(Buffer.from(Buffer.from(signature).toString('hex'), 'latin1'), sig.start);
      return out;
    },
  };
}

/** What a receipt file holds: the statement's JSON text, the covered digest, the token (or null), the signature. */
export interface OpenedReceipt {
  statementJson: string;
  digest: Uint8Array;
  token: Uint8Array | null;
  signature: Uint8Array;
}

/** Reads the envelope of a receipt file, or answers a French reason why it is not an intact one. */
export function openReceipt(bytes: Uint8Array): OpenedReceipt | string {
  if (Buffer.from(bytes.subarray(0, 5)).toString('latin1') !== '%PDF-') return "ce fichier n'est pas un PDF";
  const text = Buffer.from(bytes).toString('latin1');
  const statement = findSpan(text, STATEMENT_KEY, null);
  const ts = findSpan(text, TIMESTAMP_KEY, 2 * TOKEN_MAX);
  const sig = findSpan(text, SIGNATURE_KEY, SIG_HEX);
  if (typeof statement === 'string' && typeof sig === 'string') return "ce PDF n'est pas une attestation de dépôt signée par Solidariciel";
  for (const s of [statement, ts, sig]) if (typeof s === 'string') return `le fichier a été modifié : ${s}`;
  const [st, t, g] = [statement, ts, sig] as Span[];
  if ((st!.end - st!.start) % 2 !== 0) return 'le fichier a été modifié : déclaration illisible';
  const tokenHex = text.slice(t!.start, t!.end);
  const token = tokenBytes(tokenHex);
  if (typeof token === 'string') return `le fichier a été modifié : ${token}`;
  return {
    statementJson: Buffer.from(text.slice(st!.start, st!.end), 'hex').toString('utf8'),
    digest: new Uint8Array(digestWithout(bytes, [t!, g!].sort((a, b) => a.start - b.start))),
    token,
    signature: new Uint8Array(Buffer.from(text.slice(g!.start, g!.end), 'hex')),
  };
}

/** The token's DER from its hex placeholder (its length read from its outer DER header; zeros after), or a reason. */
function tokenBytes(hexText: string): Uint8Array | null | string {
  if (/^0*$/.test(hexText)) return null;
  const raw = Buffer.from(hexText, 'hex');
  if (raw[0] !== 0x30) return "jeton d'horodatage altéré";
  let len = raw[1]!;
  let header = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 3) return "jeton d'horodatage altéré";
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + raw[2 + i]!;
    header = 2 + n;
  }
  const total = header + len;
  if (total > raw.length || raw.subarray(total).some((b) => b !== 0)) return "jeton d'horodatage altéré (remplissage)";
  return new Uint8Array(raw.subarray(0, total));
}
