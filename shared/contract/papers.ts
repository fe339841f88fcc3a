/**
 * Channels for papers to renew (expiry, automatic renewal tasks, a person's referent) and deposit receipts
 * (attestations de dépôt): docs/papers-expiry.md, docs/deposit-receipt.md.
 */
import { z } from 'zod';
import { channels } from './define';
import { bytes, id } from '../domain/common';
import { expiringPaper, issuedReceipt, papersSettings, receiptSummary, receiptVerification } from '../domain/papers';

/** A receipt is one page: 5 MiB is far beyond any genuine one (a hostile file is refused before it is read). */
export const MAX_RECEIPT_BYTES = 5 * 1024 * 1024;

export const papersChannels = channels({
  /** Papers expired or expiring within `withinDays` days (of one person if given), of people the user may see. */
  'papers:expiring': {
    request: z.object({ withinDays: z.number().int().min(0).max(3650).default(90), personId: id.optional() }),
    response: z.object({ items: z.array(expiringPaper) }),
  },
  'papers:settings': { request: z.object({}).strict(), response: papersSettings },
  'papers:saveSettings': { request: papersSettings, response: papersSettings },
  /** Creates the renewal tasks that are due now (also done at unlock and daily while unlocked). */
  'papers:runReminders': { request: z.object({}).strict(), response: z.object({ created: z.array(id) }) },
  'people:referent': { request: z.object({ personId: id }), response: z.object({ userId: id.nullable() }) },
  'people:setReferent': { request: z.object({ personId: id, userId: id.nullable() }), response: z.object({ userId: id.nullable() }) },
  /** Issues a signed attestation de dépôt for papers of one person (documents.read). */
  'deposits:issue': { request: z.object({ personId: id, documentIds: z.array(id).min(1, 'choisissez au moins une pièce').max(100) }), response: issuedReceipt },
  /** Prints a receipt again (same deposit, same papers), signed by the current user; audited. */
  'deposits:reprint': { request: z.object({ depositId: id }), response: issuedReceipt },
  'deposits:list': { request: z.object({ personId: id }), response: z.object({ items: z.array(receiptSummary) }) },
  'deposits:verify': {
    request: z.object({ pdf: bytes.refine((b) => b.byteLength <= MAX_RECEIPT_BYTES, 'fichier trop volumineux pour une attestation (5 Mo au plus)') }),
    response: receiptVerification,
  },
});
