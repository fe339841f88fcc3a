/**
 * Papers to renew (pièces à renouveler) and deposit receipts (attestations de dépôt): the shapes that cross IPC and
 * the receipt file (docs/papers-expiry.md, docs/deposit-receipt.md).
 */
import { z } from 'zod';
import { bytes, id, instant, isoDate } from './common';
import { documentType } from './document';

/** How far ahead « Pièces à renouveler » looks, in days; the screen offers 30, 60 and 90. */
export const EXPIRY_WINDOWS = [30, 60, 90] as const;

/** A paper that expired or expires within the window asked for. `daysLeft` < 0 once expired (days, local calendar). */
export const expiringPaper = z.object({
  documentId: id,
  personId: id,
  personName: z.string(),
  type: documentType,
  title: z.string().nullable(),
  expiresOn: isoDate,
  daysLeft: z.number().int(),
});
export type ExpiringPaper = z.infer<typeof expiringPaper>;

/** The association's paper settings: renewal task N days before expiry (default 60); an RFC 3161 TSA, or null. */
export const papersSettings = z.object({
  reminderDays: z.number().int().min(1, 'au moins 1 jour').max(365, '365 jours au plus'),
  tsaUrl: z
    .string()
    .trim()
    .max(500)
    .transform((s) => (s === '' ? null : s))
    .pipe(z.string().regex(/^https?:\/\/[^\s]+$/, 'adresse http:// ou https:// attendue').nullable())
    .nullable()
    .default(null),
});
export type PapersSettings = z.output<typeof papersSettings>;

/** One paper listed on a receipt: what the person handed over, identified by its SHA-256 (FIPS 180-4). */
export const receiptPaper = z.object({ id, type: documentType, pages: z.number().int().positive(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
export type ReceiptPaper = z.infer<typeof receiptPaper>;

/**
 * What a receipt states and its signer signs (embedded in the PDF as JSON): the association, the deposit, the person,
 * the agent who received the papers, the papers. `signer` names the key that signed this copy (the agent's key, or
 * whoever printed it again) and the root certificate of that key.
 */
export const receiptStatement = z.object({
  format: z.literal('solidariciel-deposit-receipt'),
  version: z.literal(1),
  associationId: z.string().min(1).max(100),
  associationName: z.string().max(300),
  depositId: id,
  issuedAt: instant,
  person: z.object({ id, firstName: z.string().max(200), lastName: z.string().max(200) }),
  agent: z.object({ id, name: z.string().max(200), displayName: z.string().max(300) }),
  documents: z.array(receiptPaper).min(1).max(100),
  reprintedAt: instant.nullable(),
  signer: z.object({
    userId: id,
    publicKey: z.string().max(100),
    signPublicKey: z.string().max(100),
    keyCert: z.string().max(200),
    rootPublicKey: z.string().max(100),
  }),
});
export type ReceiptStatement = z.infer<typeof receiptStatement>;

/** A receipt issued or printed again: its PDF and whether a time-stamp token is in it (else why not). */
export const issuedReceipt = z.object({
  depositId: id,
  fileName: z.string(),
  pdf: bytes,
  timestamp: z.object({ genTime: instant.nullable(), error: z.string().nullable() }).nullable(),
});

/** A receipt of a person's deposit, as listed on their page. */
export const receiptSummary = z.object({ depositId: id, issuedAt: instant, issuedBy: z.string(), documents: z.number().int().nonnegative() });
export type ReceiptSummary = z.infer<typeof receiptSummary>;

/** The verdict on a receipt file: ok only when the file is intact, signed by this association and every paper still matches. */
export const receiptVerification = z.object({
  ok: z.boolean(),
  reason: z.string().nullable(),
  documents: z.array(z.object({ id: z.string(), type: documentType, ok: z.boolean(), reason: z.string().nullable() })),
  depositId: z.string().nullable(),
  issuedAt: instant.nullable(),
  personName: z.string().nullable(),
  timestamp: z.object({ genTime: instant }).nullable(),
});
export type ReceiptVerification = z.infer<typeof receiptVerification>;
