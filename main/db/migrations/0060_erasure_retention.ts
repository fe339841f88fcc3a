/**
 * 0060 — erasure and retention (docs/erasure.md).
 * - erasures (synced): the erasure register. One row per erased record: its id (the row's own id, so a later edit of
 *   that id from another device is recognised and dropped), `kind` (its table), `person_id` (the erased person's id)
 *   and `blob_name` (papers: the ciphertext's name, so every device and the hub delete the blob). Ids and dates only,
 *   never personal data. `erased_at` is an ISO instant.
 * - retention_rules (synced): one row (id `rules`) with the association's retention periods; absent = the defaults of
 *   main/services/retention/rules.ts.
 */
import type { Migration } from './types';
import { syncColumns } from './0010_initial';

export const m0060: Migration = {
  name: '0060_erasure_retention',
  async up(knex) {
    await knex.schema.createTable('erasures', (t) => {
      syncColumns(t);
      t.text('kind').notNullable();
      t.text('person_id').notNullable();
      t.text('blob_name');
      t.text('erased_at').notNullable();
      t.index(['person_id']);
    });
    await knex.schema.createTable('retention_rules', (t) => {
      syncColumns(t);
      t.integer('people_inactive_years').notNullable();
      t.integer('papers_expired_months').notNullable();
      t.integer('audit_years').notNullable();
    });
  },
};
