/**
 * Handlers of papers to renew and deposit receipts (shared/contract/papers.ts): their own map, merged into
 * buildHandlers. Services are built per call from the open session (they hold no state).
 */
import type { Handler } from './dispatch';
import type { Session } from './session';
import type { papersChannels } from '../../shared/contract/papers';
import { ExpiryService } from '../services/papers/expiryService';
import { ReceiptService } from '../services/papers/receiptService';
import { verifyReceipt } from '../services/papers/receiptVerify';

type PapersHandlers = { [C in keyof typeof papersChannels]: Handler<C> };

/** The expiry service of a session (also used by its daily sweep). */
export const expiryOf = (x: Session) => new ExpiryService(x.ctx, x.vault, x.tasks);

/** The papers and receipts channels over the session `s()` returns (throws LOCKED when none). */
export function papersHandlers(s: () => Session): PapersHandlers {
  const receipts = () => {
    const x = s();
    return new ReceiptService({ ctx: x.ctx, vault: x.vault, associationId: x.association.associationId, associationName: x.info().associationName, signSecretKey: x.association.keys.signSecretKey });
  };
  return {
    'papers:expiring': async (r) => ({ items: await expiryOf(s()).expiring(r.withinDays, r.personId) }),
    'papers:settings': async () => expiryOf(s()).settings(),
    'papers:saveSettings': async (r) => expiryOf(s()).saveSettings(r),
    'papers:runReminders': async () => ({ created: await expiryOf(s()).runReminders() }),
    'people:referent': async (r) => ({ userId: await expiryOf(s()).referent(r.personId) }),
    'people:setReferent': async (r) => ({ userId: await expiryOf(s()).setReferent(r.personId, r.userId) }),
    'deposits:issue': async (r) => receipts().issue(r.personId, r.documentIds),
    'deposits:reprint': async (r) => receipts().reprint(r.depositId),
    'deposits:list': async (r) => ({ items: await receipts().list(r.personId) }),
    'deposits:verify': async (r) => verifyReceipt(s().ctx, s().vault, s().association.associationId, r.pdf),
  };
}
