/**
 * 0080 — the monthly retention review (docs/erasure.md "Retention"): `retention_reviews` (synced), one row (id `last`)
 * saying when an administrator last looked at what the retention rules propose (`reviewed_at`, ISO instant) and who
 * (`reviewed_by`, a user id). A table of its own rather than a column of `retention_rules`, so that looking at the
 * review on one PC never competes with a change of the periods on another. Absent row = never reviewed.
 */
import type { Migration } from './types';
import { syncColumns } from './0010_initial';

export const m0080: Migration = {
  name: '0080_retention_reviews',
  async up(knex) {
    await knex.schema.createTable('retention_reviews', (t) => {
      syncColumns(t);
      t.text('reviewed_at').notNullable();
      t.text('reviewed_by').notNullable();
    });
  },
};
