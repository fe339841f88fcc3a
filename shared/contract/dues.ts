/** Channels of dues (cotisations, docs/treasury.md « Cotisations »): fee types, payments, statuses, reminders. */
import { z } from 'zod';
import { channels } from './define';
import { bytes, id, isoDate } from '../domain/common';
import { duesPayment, duesPaymentInput, duesSettings, duesStatus, feeTariff, feeType, feeTypeInput, paymentMethod, personDues } from '../domain/dues';

const empty = z.object({}).strict();
const done = z.object({ ok: z.literal(true) });

export const duesChannels = channels({
  'dues:feeTypes': { request: empty, response: z.object({ items: z.array(feeType) }) },
  /** Creates (no `id`) or changes a fee type. */
  'dues:saveFeeType': { request: feeTypeInput.extend({ id: id.optional() }), response: z.object({ id }) },
  'dues:deleteFeeType': { request: z.object({ id }), response: done },
  /** Records a payment; answers the person's status afterwards. */
  'dues:pay': { request: duesPaymentInput, response: z.object({ paymentId: id, status: duesStatus }) },
  'dues:cancelPayment': { request: z.object({ id }), response: done },
  'dues:personPayments': { request: z.object({ personId: id }), response: z.object({ items: z.array(duesPayment) }) },
  /** The people who pay dues, with their status; only `status` when given. */
  'dues:list': { request: z.object({ status: duesStatus.optional() }), response: z.object({ items: z.array(personDues) }) },
  /** Statuses of some people (people list, person page). */
  'dues:statuses': {
    request: z.object({ personIds: z.array(id).max(500) }),
    response: z.object({ items: z.array(z.object({ personId: id, status: duesStatus, paidUntil: isoDate.nullable() })) }),
  },
  /** Renews many people at once: one payment of the fee's amount each. */
  'dues:renew': {
    request: z.object({ personIds: z.array(id).min(1, 'choisissez au moins une personne').max(2000), feeTypeId: id, paidOn: isoDate, method: paymentMethod, category: z.string().max(60).optional() }),
    response: z.object({ count: z.number().int().nonnegative() }),
  },
  'dues:setExemption': { request: z.object({ personId: id, exempt: z.boolean(), fromDate: isoDate, note: z.string().trim().max(500).optional() }), response: done },
  'dues:settings': { request: empty, response: duesSettings },
  'dues:saveSettings': { request: duesSettings, response: duesSettings },
  /** Renewal reminders as a CSV for a mail merge (people « échéance proche » and « en retard » by default). */
  'dues:remindersCsv': { request: z.object({ statuses: z.array(duesStatus).min(1).max(5).default(['due_soon', 'late']) }), response: z.object({ fileName: z.string(), csv: z.string() }) },
  /** One reminder letter per person, in one PDF (a page each). */
  'dues:reminderLetters': { request: z.object({ personIds: z.array(id).min(1).max(2000) }), response: z.object({ fileName: z.string(), pdf: bytes }) },
  /** Imported tariffs (HelloAsso) and the fee type each pays; unmapped ones have `feeTypeId` null. */
  'dues:tariffs': { request: empty, response: z.object({ items: z.array(feeTariff) }) },
  'dues:mapTariff': { request: z.object({ source: z.string().min(1).max(40), tariff: z.string().min(1).max(200), feeTypeId: id, category: z.string().max(60).optional() }), response: done },
});
