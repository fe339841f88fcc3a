/**
 * 0160 — papers to renew and deposit receipts (docs/deposit-receipt.md, docs/papers-expiry.md).
 * - people.referent_id (synced, nullable): the user who follows the person (« référent·e »); the automatic renewal
 *   task is assigned to them. Additive: a device that does not know the column yet keeps its values pending.
 * - papers_settings (synced): one row (id `settings`): `reminder_days` (a renewal task is created that many days
 *   before a paper expires; absent row = 60) and `tsa_url` (an RFC 3161 time-stamping authority, or NULL).
 * - deposit_receipts (synced): one row per attestation de dépôt, id = the deposit id printed on it; `person_id`,
 *   `statement` (the signed statement as JSON: association, person, agent, date, papers with type, pages, SHA-256;
 *   so it can be printed again), `issued_at` (ISO instant), `issued_by` (user id). Covered by erasure (PERSON_TABLES).
 */
import type { Migration } from './types';
import { syncColumns } from './0010_initial';

export const m0160: Migration = {
  name: '0160_papers',
  async up(knex) {
    await knex.schema.alterTable('people', (t) => {
      t.text('referent_id');
    });
    await knex.schema.createTable('papers_settings', (t) => {
      syncColumns(t);
      t.integer('reminder_days').notNullable();
      t.text('tsa_url');
    });
    await knex.schema.createTable('deposit_receipts', (t) => {
      syncColumns(t);
      t.text('person_id').notNullable();
      t.text('statement').notNullable();
      t.text('issued_at').notNullable();
      t.text('issued_by').notNullable();
      t.index(['person_id']);
    });
  },
};
