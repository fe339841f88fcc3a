/**
 * Handlers of gifts and tax receipts (shared/contract/receipts.ts): their own map, merged into buildHandlers
 * (STYLE.md "give each domain its own handler map"). Services are built per call from the open session.
 */
import type { Handler } from './dispatch';
import type { Session } from './session';
import type { receiptChannels } from '../../shared/contract/receipts';
import { GiftsService } from '../services/treasury/giftsService';
import { ReceiptsService } from '../services/treasury/receiptsService';
import { readReceiptSettings, saveReceiptSettings } from '../services/treasury/receiptSettings';

type ReceiptHandlers = { [C in keyof typeof receiptChannels]: Handler<C> };

/** The gift and receipt channels over the session `s()` returns (throws LOCKED when none). */
export function receiptHandlers(s: () => Session): ReceiptHandlers {
  const gifts = () => new GiftsService(s().ctx);
  const receipts = () => new ReceiptsService(s().ctx);
  return {
    'gifts:add': async (r) => gifts().add(r),
    'gifts:list': async (r) => ({ items: await gifts().list(r) }),
    'receipts:issue': async (r) => receipts().issue(r),
    'receipts:cancel': async (r) => receipts().cancel(r.number, r.reason),
    'receipts:list': async (r) => ({ items: await receipts().list(r.year) }),
    'receipts:summary': async (r) => receipts().summary(r.year),
    'receipts:pdf': async (r) => receipts().pdf(r.number),
    'receipts:settings': async () => {
      s().ctx.access.require('treasury.read');
      return readReceiptSettings(s().ctx.db);
    },
    'receipts:saveSettings': async (r) => saveReceiptSettings(s().ctx, r),
  };
}
