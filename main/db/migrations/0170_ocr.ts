/**
 * 0170 — text recognised in papers (docs/ocr.md).
 * - document_texts (synced): one row per page of a paper whose text was recognised: `document_id`, `person_id` (so a
 *   person's erasure removes it: PERSON_TABLES), `page` (1-based), `sha256` (the paper's SHA-256 when it was read: a
 *   replaced paper's old text is recognised again), `ciphertext` (the text and its words' boxes, sealed under a key
 *   derived from the paper's own document key: whoever can open the paper can read its text, nobody else),
 *   `scope_id` as the paper's. A device that receives it by sync does not recognise the page again.
 * - ocr_queue (local to this device, never synced): one row per page to recognise: `document_id`, `page`, `sha256`,
 *   `state` pending | done | failed, `attempts`, `error` (French, no content of the paper), `updated_at`. It survives a
 *   restart: pages still pending are taken up at the next unlock.
 */
import type { Migration } from './types';
import { syncColumns } from './0010_initial';

export const m0170: Migration = {
  name: '0170_ocr',
  async up(knex) {
    await knex.schema.createTable('document_texts', (t) => {
      syncColumns(t);
      t.text('document_id').notNullable();
      t.text('person_id').notNullable();
      t.integer('page').notNullable();
      t.text('sha256').notNullable();
      t.text('ciphertext').notNullable();
      t.index(['document_id']);
      t.index(['person_id']);
    });
    await knex.schema.createTable('ocr_queue', (t) => {
      t.text('document_id').notNullable();
      t.integer('page').notNullable();
      t.text('sha256').notNullable();
      t.text('state').notNullable();
      t.integer('attempts').notNullable().defaultTo(0);
      t.text('error');
      t.text('updated_at').notNullable();
      t.primary(['document_id', 'page']);
      t.index(['state']);
    });
  },
};
