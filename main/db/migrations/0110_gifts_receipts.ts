/**
 * 0110 — gifts and tax receipts (docs/treasury.md « Dons et reçus fiscaux »). Every table is synced
 * (main/sync/tables.ts). Amounts and payment details are sealed for the treasury scope (`ciphertext` + `key_wraps`,
 * main/services/treasury/treasuryScope.ts).
 * - gifts: a gift (don) by a person. Clear: `person_id`, `given_on` (YYYY-MM-DD), `device_id` (the PC that recorded
 *   it: only that PC puts it on a receipt while it is not revoked, so two PCs offline never receipt it twice),
 *   `receipt_id` (the receipt it is on, NULL until then), `source` (`helloasso:<Référence commande>` for an import:
 *   never two live rows with one source) and `external_receipt` (1: a tax receipt was issued elsewhere, HelloAsso:
 *   never receipted here). Sealed: amount (cents), form, nature, method, note.
 * - tax_receipts: a receipt (CERFA 11580*05), never deleted. Clear: `person_id` (the erasure legal hold looks for it,
 *   main/services/erasure/legalHolds.ts), `number` (`2026-K7QMX2AB-0007`), its parts `year`, `series`, `seq`, the
 *   issuing `device_id`, `kind` (`gift` | `yearly`), `issued_on`, `status` (`issued` | `cancelled`),
 *   `cancelled_on`. Sealed: amount, the donor and issuer as printed, the gifts (ids, days, amounts), the boxes,
 *   the cancel reason. `number` is written once, by the issuing device, inside the transaction that computes it.
 * - receipt_series: which device holds which series code (one row per device, id = device id), so that a device
 *   never takes a code another already holds (shared/domain/receiptNumber.ts).
 * - receipt_settings: one row (id `receipts`): the beneficiary as the form prints it (name, SIREN or RNA, address,
 *   object, kind of organisation, articles of the CGI, signatory, place). Public facts of the association, clear.
 */
import type { Migration } from './types';
import { syncColumns } from './0010_initial';

export const m0110: Migration = {
  name: '0110_gifts_receipts',
  async up(knex) {
    await knex.schema.createTable('gifts', (t) => {
      syncColumns(t);
      t.text('person_id').notNullable();
      t.text('given_on').notNullable();
      t.text('device_id').notNullable();
      t.text('receipt_id');
      t.text('source');
      t.integer('external_receipt').notNullable().defaultTo(0);
      t.text('ciphertext').notNullable();
      t.text('key_wraps').notNullable();
      t.text('created_by');
      t.index(['person_id']);
      t.index(['given_on']);
      t.index(['source']);
    });
    await knex.schema.createTable('tax_receipts', (t) => {
      syncColumns(t);
      t.text('person_id').notNullable();
      t.text('number').notNullable();
      t.integer('year').notNullable();
      t.text('series').notNullable();
      t.integer('seq').notNullable();
      t.text('device_id').notNullable();
      t.text('kind').notNullable();
      t.text('issued_on').notNullable();
      t.text('status').notNullable().defaultTo('issued');
      t.text('cancelled_on');
      t.text('ciphertext').notNullable();
      t.text('key_wraps').notNullable();
      t.text('created_by');
      t.index(['person_id']);
      t.index(['number']);
      t.index(['series', 'year', 'seq']);
    });
    await knex.schema.createTable('receipt_series', (t) => {
      syncColumns(t);
      t.text('device_id').notNullable();
      t.text('code').notNullable();
      t.index(['code']);
    });
    await knex.schema.createTable('receipt_settings', (t) => {
      syncColumns(t);
      t.text('name').notNullable().defaultTo('');
      t.text('siren_or_rna').notNullable().defaultTo('');
      t.text('address').notNullable().defaultTo('');
      t.text('postal_code').notNullable().defaultTo('');
      t.text('city').notNullable().defaultTo('');
      t.text('object').notNullable().defaultTo('');
      t.text('org_kind').notNullable().defaultTo('general_interest');
      t.text('org_kind_detail').notNullable().defaultTo('');
      t.text('articles').notNullable().defaultTo('["200"]');
      t.text('signatory_name').notNullable().defaultTo('');
      t.text('signatory_title').notNullable().defaultTo('');
      t.text('place').notNullable().defaultTo('');
    });
  },
};
