/**
 * Reading the payment lines of a HelloAsso export (docs/treasury.md « HelloAsso »), shared by the dues import
 * (importedPayments.ts) and the gifts import (importedGifts.ts): which columns hold the order reference, the payment
 * status, the campaign, the type, the tariff and the tax receipt, and what their cells say.
 */
import { normalizeHeader } from '../imports/text';
import type { ImportPayment } from '../imports/types';

/** A line of the file whose person is now known, with the payment the normaliser read from it. */
export interface PaidLine {
  line: number;
  personId: string;
  payment: ImportPayment;
  cells: readonly string[];
}

const SUCCESS = /^(paye|payee|valide|validee|autorise|autorisee|effectue|effectuee|succes|ok)$/;
const NO_RECEIPT = /^(|non|no|false|faux|0|aucun|n a|na)$/;

/** Column index of the first header whose normalised form matches `re`; -1 when none. */
const column = (headers: readonly string[], re: RegExp) => headers.findIndex((h) => re.test(normalizeHeader(h)));

/** The HelloAsso columns of `headers` (-1 when absent) and readers of a line's cells. */
export function helloAssoColumns(headers: readonly string[]) {
  const col = {
    reference: column(headers, /^reference commande$|^numero de commande$|^reference$/),
    status: column(headers, /^statut du paiement$|^statut$/),
    campaign: column(headers, /^campagne$|^nom de la campagne$|^formulaire$/),
    type: column(headers, /^type$|^type de paiement$/),
    tariff: column(headers, /^tarif$|^formule$|^nom du tarif$/),
    receipt: column(headers, /recu fiscal|numero de recu|^recu$|attestation/),
  };
  /** The trimmed cell of `l` in column `i` ('' when the column is absent). */
  const cell = (l: PaidLine, i: number) => (i >= 0 ? (l.cells[i] ?? '').trim() : '');
  return {
    col,
    cell,
    /** False when the status column says the payment did not go through (Remboursé, Refusé, Annulé…). */
    succeeded: (l: PaidLine) => col.status < 0 || SUCCESS.test(normalizeHeader(cell(l, col.status))),
    /** True when the « Type » or « Campagne » names a don. */
    isGift: (l: PaidLine) => /\bdons?\b/.test(normalizeHeader(`${cell(l, col.type)} ${cell(l, col.campaign)}`)),
    /** The tax receipt HelloAsso issued for the line, or null (empty, non, false…). */
    externalReceipt: (l: PaidLine) => {
      const value = cell(l, col.receipt);
      return NO_RECEIPT.test(normalizeHeader(value)) ? null : value;
    },
  };
}
