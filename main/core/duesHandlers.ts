/**
 * Handlers of dues (shared/contract/dues.ts; docs/treasury.md « Cotisations »): their own map, merged into
 * buildHandlers (STYLE.md "give each domain its own handler map"). Services are built per call from the open session.
 */
import type { Handler } from './dispatch';
import type { Session } from './session';
import type { duesChannels } from '../../shared/contract/dues';
import { DuesService } from '../services/treasury/duesService';
import { listTariffs, mapTariff } from '../services/treasury/importedPayments';
import { Reminders } from '../services/treasury/reminders';

type DuesHandlers = { [C in keyof typeof duesChannels]: Handler<C> };

const OK = { ok: true } as const;

/** The dues channels over the session `s()` returns (throws LOCKED when none). */
export function duesHandlers(s: () => Session): DuesHandlers {
  const dues = () => new DuesService(s().ctx);
  const reminders = () => new Reminders(s().ctx, s().info().associationName);
  return {
    'dues:feeTypes': async () => ({ items: await dues().feeTypes() }),
    'dues:saveFeeType': async (r) => ({ id: await dues().saveFeeType(r) }),
    'dues:deleteFeeType': async (r) => (await dues().deleteFeeType(r.id), OK),
    'dues:pay': async (r) => dues().pay(r),
    'dues:cancelPayment': async (r) => (await dues().cancelPayment(r.id), OK),
    'dues:personPayments': async (r) => ({ items: await dues().personPayments(r.personId) }),
    'dues:list': async (r) => ({ items: await dues().list(r.status) }),
    'dues:statuses': async (r) => ({ items: await dues().statuses(r.personIds) }),
    'dues:renew': async (r) => dues().renew(r),
    'dues:setExemption': async (r) => (await dues().setExemption(r.personId, r.exempt, r.fromDate, r.note), OK),
    'dues:settings': async () => dues().settings(),
    'dues:saveSettings': async (r) => dues().saveSettings(r),
    'dues:remindersCsv': async (r) => reminders().csv(r.statuses),
    'dues:reminderLetters': async (r) => reminders().letters(r.personIds),
    'dues:tariffs': async () => ({ items: await listTariffs(s().ctx) }),
    'dues:mapTariff': async (r) => (await mapTariff(s().ctx, r), OK),
  };
}
