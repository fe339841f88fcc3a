/**
 * Dues (cotisations, docs/treasury.md « Cotisations »): fee types, payments and each person's status, as Galette and
 * Paheko show it: à jour / échéance proche / en retard / jamais / exempté. Amounts in integer cents
 * (shared/domain/money.ts); a payment's amount and details are sealed for treasury holders and come back `null`
 * to anyone else.
 */
import { z } from 'zod';
import { id, instant, isoDate } from './common';
import { cents } from './money';

/**
 * A fee type's period: `year` (civil year, 1 January–31 December), `months:N` (N months from the start, 1–60),
 * `dates:MM-DD` (one year from a fixed day, e.g. `dates:09-01` for a school year), `once` (never expires).
 */
export const feePeriod = z
  .string()
  .trim()
  .regex(/^(year|once|months:([1-9]|[1-5]\d|60)|dates:(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))$/, 'Période : « year », « months:N » (1 à 60), « dates:MM-JJ » ou « once »');
export type FeePeriod = z.infer<typeof feePeriod>;

/** The tariff categories of a fee type and their amounts: `{ "Plein tarif": 2000, "Réduit": 1000 }` (1 to 10). */
export const feeAmounts = z
  .record(z.string().trim().min(1, 'Nom de catégorie obligatoire').max(60), cents)
  .refine((a) => Object.keys(a).length >= 1 && Object.keys(a).length <= 10, 'Montants : une à dix catégories');

export const feeTypeInput = z.object({
  name: z.string().trim().min(1, 'Nom obligatoire').max(100),
  amounts: feeAmounts,
  period: feePeriod,
});
export type FeeTypeInput = z.infer<typeof feeTypeInput>;
export const feeType = feeTypeInput.extend({ id });
export type FeeType = z.infer<typeof feeType>;

/** How a payment was made (moyens de paiement). */
export const PAYMENT_METHODS = ['cash', 'cheque', 'transfer', 'card', 'direct_debit', 'helloasso'] as const;
export const paymentMethod = z.enum(PAYMENT_METHODS, 'Moyen de paiement : espèces, chèque, virement, carte, prélèvement ou HelloAsso');
export type PaymentMethod = z.infer<typeof paymentMethod>;
export const PAYMENT_METHOD_LABELS_FR: Record<PaymentMethod, string> = {
  cash: 'Espèces',
  cheque: 'Chèque',
  transfer: 'Virement',
  card: 'Carte bancaire',
  direct_debit: 'Prélèvement',
  helloasso: 'HelloAsso',
};

/** The sealed part of a payment: what only treasury holders read. */
export const paymentDetails = z.object({
  amountCents: cents.refine((c) => c > 0, 'Montant : supérieur à zéro'),
  method: paymentMethod,
  chequeNumber: z.string().trim().max(40).optional(),
  bank: z.string().trim().max(80).optional(),
  note: z.string().trim().max(500).optional(),
  category: z.string().trim().max(60).optional(),
});
export type PaymentDetails = z.infer<typeof paymentDetails>;

export const duesPaymentInput = paymentDetails.extend({
  personId: id,
  feeTypeId: id,
  paidOn: isoDate,
  /** The first day paid for; by default the day after the person's current end, or the period of `paidOn`. */
  coversFrom: isoDate.optional(),
});
export type DuesPaymentInput = z.infer<typeof duesPaymentInput>;

export const duesPayment = z.object({
  id,
  personId: id,
  feeTypeId: id,
  feeTypeName: z.string(),
  paidOn: isoDate,
  coversFrom: isoDate,
  /** Inclusive; null for a one-off fee (never expires). */
  coversTo: isoDate.nullable(),
  /** True once the payments of this period add up to the fee. */
  settled: z.boolean(),
  source: z.string().nullable(),
  /** What an import said about a tax receipt issued elsewhere (HelloAsso), else null. */
  externalReceipt: z.string().nullable(),
  /** Null for a user without `treasury.read` (or without the key yet). */
  details: paymentDetails.nullable(),
  createdAt: instant,
});
export type DuesPayment = z.infer<typeof duesPayment>;

export const DUES_STATUSES = ['up_to_date', 'due_soon', 'late', 'never', 'exempt'] as const;
export const duesStatus = z.enum(DUES_STATUSES);
export type DuesStatus = z.infer<typeof duesStatus>;
export const DUES_STATUS_LABELS_FR: Record<DuesStatus, string> = {
  up_to_date: 'À jour',
  due_soon: 'Échéance proche',
  late: 'En retard',
  never: 'Jamais cotisé',
  exempt: 'Exempté',
};

/** A person's dues as the list shows them. `paidUntil`: last day paid (null: never, or one-off for life: `forLife`). */
export const personDues = z.object({
  personId: id,
  firstName: z.string(),
  lastName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  status: duesStatus,
  paidUntil: isoDate.nullable(),
  forLife: z.boolean(),
});
export type PersonDues = z.infer<typeof personDues>;

export const duesExemption = z.object({ personId: id, fromDate: isoDate, toDate: isoDate.nullable(), note: z.string().nullable() });
export type DuesExemption = z.infer<typeof duesExemption>;

export const duesSettings = z.object({ dueSoonDays: z.number().int().min(0).max(365) });
export type DuesSettings = z.infer<typeof duesSettings>;

/** An imported tariff (HelloAsso « Campagne / Tarif ») and the fee type it pays, null until mapped. */
export const feeTariff = z.object({ source: z.string(), tariff: z.string(), feeTypeId: id.nullable(), category: z.string().nullable() });
export type FeeTariff = z.infer<typeof feeTariff>;
