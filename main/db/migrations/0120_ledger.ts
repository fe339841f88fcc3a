/**
 * 0120 — the cash book and the bank (docs/treasury.md « Journal et banque »).
 * - ledger_entries (synced): one row per journal entry. In clear: the journal (`cash` 530, `bank` 512, `cheques`
 *   5112), the date (`entry_date`, YYYY-MM-DD), where it comes from (`source`: manual, dues, gift, deposit and
 *   `source_id`, the payment, gift or nothing), `deposit_id` (a cheque's deposit entry once deposited) and
 *   `created_by`. Sealed for the treasury holders (`ciphertext`, `key_wraps`): the amount, direction, account,
 *   label, piece reference, cheque number, bank and drawer — who paid how much.
 * - bank_lines (synced): one row per bank statement line imported. In clear: the date (`line_date`), the entry it is
 *   reconciled with (`entry_id`), who reconciled it and when. Sealed: amount, label, cheque number, the bank's id
 *   and the fingerprint that makes re-imports idempotent (compared after opening, so it tells nothing in clear).
 * No person_id column: entries name people only inside the sealed label (see docs/treasury.md for erasure).
 */
import type { Migration } from './types';
import { syncColumns } from './0010_initial';

export const m0120: Migration = {
  name: '0120_ledger',
  async up(knex) {
    await knex.schema.createTable('ledger_entries', (t) => {
      syncColumns(t);
      t.text('journal').notNullable();
      t.text('entry_date').notNullable();
      t.text('source').notNullable();
      t.text('source_id');
      t.text('deposit_id');
      t.text('created_by');
      t.text('ciphertext');
      t.text('key_wraps');
      t.index(['journal', 'entry_date']);
      t.index(['source_id']);
      t.index(['deposit_id']);
    });
    await knex.schema.createTable('bank_lines', (t) => {
      syncColumns(t);
      t.text('line_date').notNullable();
      t.text('entry_id');
      t.text('matched_by');
      t.text('matched_at');
      t.text('ciphertext');
      t.text('key_wraps');
      t.index(['line_date']);
      t.index(['entry_id']);
    });
  },
};
