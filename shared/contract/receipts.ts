/** Channels of gifts and tax receipts (docs/treasury.md « Dons et reçus fiscaux »; CERFA n° 11580*05). */
import { z } from 'zod';
import { channels } from './define';
import { bytes, id } from '../domain/common';
import { gift, giftInput, receiptSettings, receiptSummary, taxReceipt } from '../domain/gift';

const year = z.number().int().min(2000).max(2999);
const receiptNumber = z.string().trim().min(1).max(40);

export const receiptChannels = channels({
  'gifts:add': { request: giftInput, response: z.object({ id }) },
  'gifts:list': { request: z.object({ year: year.optional(), personId: id.optional() }), response: z.object({ items: z.array(gift) }) },
  /** One receipt for one gift (`giftId`), or the yearly summary (« cumul ») of a donor's gifts not yet receipted. */
  'receipts:issue': {
    request: z.union([z.object({ giftId: id }).strict(), z.object({ personId: id, year }).strict()]),
    response: z.object({ id, number: z.string() }),
  },
  'receipts:cancel': { request: z.object({ number: receiptNumber, reason: z.string().trim().min(1, 'Motif : obligatoire.').max(500) }), response: taxReceipt },
  'receipts:list': { request: z.object({ year }), response: z.object({ items: z.array(taxReceipt) }) },
  'receipts:summary': { request: z.object({ year }), response: receiptSummary },
  'receipts:pdf': { request: z.object({ number: receiptNumber }), response: z.object({ fileName: z.string(), pdf: bytes }) },
  'receipts:settings': { request: z.object({}).strict(), response: receiptSettings },
  'receipts:saveSettings': { request: receiptSettings, response: receiptSettings },
});
