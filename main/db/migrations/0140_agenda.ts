/**
 * 0140 — the agenda (docs/agenda.md). Synced tables (DESIGN.md "Data model rules"):
 * - events: one row per event or recurring series. `start_local` is the local wall-clock start `YYYY-MM-DDTHH:MM` in
 *   `time_zone` (IANA); `starts_at` the UTC instant of the first occurrence and `ends_on` the last local day an
 *   occurrence can fall on (NULL: repeats with no end), both derived, for range queries. `every_weeks` / `until`: the
 *   weekly recurrence (NULL: once). `user_ids`: JSON array of the users taking part. `title`, `place`, `description`
 *   are in clear for everyone, else '' / NULL and sealed in `ciphertext` under a record key wrapped in `key_wraps`.
 * - event_exceptions: one occurrence of a series moved (`start_local`, `minutes`) or cancelled, named by its original
 *   local start `occurrence` (the RECURRENCE-ID). At most one live row per (event, occurrence): kept by the service.
 * - event_people: the people an event is about or with (`person_id`: erased with the person).
 */
import type { Migration } from './types';
import { syncColumns } from './0010_initial';

export const m0140: Migration = {
  name: '0140_agenda',
  async up(knex) {
    await knex.schema.createTable('events', (t) => {
      syncColumns(t);
      t.text('kind').notNullable();
      t.text('title').notNullable();
      t.text('place');
      t.text('description');
      t.text('start_local').notNullable();
      t.text('time_zone').notNullable().defaultTo('Europe/Paris');
      t.integer('minutes').notNullable();
      t.integer('every_weeks');
      t.text('until');
      t.text('starts_at').notNullable();
      t.text('ends_on');
      t.text('user_ids').notNullable().defaultTo('[]');
      t.text('created_by');
      t.text('visibility').notNullable().defaultTo('{"kind":"everyone"}');
      t.text('ciphertext');
      t.text('key_wraps');
      t.index(['starts_at']);
    });
    await knex.schema.createTable('event_exceptions', (t) => {
      syncColumns(t);
      t.text('event_id').notNullable();
      t.text('occurrence').notNullable();
      t.integer('cancelled').notNullable().defaultTo(0);
      t.text('start_local');
      t.integer('minutes');
      t.index(['event_id']);
    });
    await knex.schema.createTable('event_people', (t) => {
      syncColumns(t);
      t.text('event_id').notNullable();
      t.text('person_id').notNullable();
      t.index(['event_id']);
      t.index(['person_id']);
    });
  },
};
