/**
 * 0100 — treasury foundation and dues (docs/treasury.md). Every table is synced (main/sync/tables.ts); amounts and
 * payment details never appear in clear: they are sealed for the treasury scope (`ciphertext` + `key_wraps`,
 * main/services/treasury/treasuryScope.ts), so neither a colleague without `treasury.read`, nor the hub, nor a
 * decrypted copy of the database reads who paid how much.
 * - fee_types: a kind of dues. `amounts` is the association's public tariff, JSON `{ "<category>": cents }`
 *   (e.g. `{"Plein tarif":2000,"Réduit":1000}`); `period` is `year` (civil year), `months:N` (N rolling months from
 *   the payment date), `dates:MM-DD` (a year starting on a fixed day, e.g. `dates:09-01` for a school year) or
 *   `once` (never expires).
 * - dues_payments: one payment by a person for a fee type. `paid_on` (YYYY-MM-DD) and the period it pays for
 *   (`covers_from` … `covers_to`, inclusive; `covers_to` NULL for `once`); `settled` = 1 when the payments of that
 *   person, fee type and period add up to the fee (computed by the treasurer who can read the amounts, so that the
 *   membership status is known without them); sealed: amount (cents), method, cheque number and bank, note,
 *   category. `source` names where it came from (`helloasso:<Référence commande>`): the service never writes two
 *   live rows with the same source (a re-import adds nothing). `external_receipt`: what the import said about a tax
 *   receipt issued elsewhere (HelloAsso), so that none is issued twice.
 * - dues_exemptions: a person exempted from dues (« exempté ») from `from_date` until `to_date` (NULL: open), with
 *   a sealed note.
 * - fee_tariffs: an imported tariff name (HelloAsso « Campagne / Tarif ») mapped once to a fee type and category.
 * - treasury_settings: one row (id `treasury`): `due_soon_days` (« échéance proche », default 30).
 */
import type { Migration } from './types';
import { syncColumns } from './0010_initial';

export const m0100: Migration = {
  name: '0100_treasury_dues',
  async up(knex) {
    await knex.schema.createTable('fee_types', (t) => {
      syncColumns(t);
      t.text('name').notNullable();
      t.text('amounts').notNullable();
      t.text('period').notNullable();
    });
    await knex.schema.createTable('dues_payments', (t) => {
      syncColumns(t);
      t.text('person_id').notNullable();
      t.text('fee_type_id').notNullable();
      t.text('paid_on').notNullable();
      t.text('covers_from').notNullable();
      t.text('covers_to');
      t.integer('settled').notNullable().defaultTo(0);
      t.text('source');
      t.text('external_receipt');
      t.text('ciphertext').notNullable();
      t.text('key_wraps').notNullable();
      t.text('created_by');
      t.index(['person_id']);
      t.index(['source']);
    });
    await knex.schema.createTable('dues_exemptions', (t) => {
      syncColumns(t);
      t.text('person_id').notNullable();
      t.text('from_date').notNullable();
      t.text('to_date');
      t.text('ciphertext');
      t.text('key_wraps');
      t.index(['person_id']);
    });
    await knex.schema.createTable('fee_tariffs', (t) => {
      syncColumns(t);
      t.text('source').notNullable();
      t.text('tariff').notNullable();
      t.text('fee_type_id').notNullable();
      t.text('category');
    });
    await knex.schema.createTable('treasury_settings', (t) => {
      syncColumns(t);
      t.integer('due_soon_days').notNullable().defaultTo(30);
    });
  },
};
