/**
 * 0130 — volunteers, support circles and the visit rota (docs/volunteers.md). Every table is synced (SYNCED_TABLES)
 * and has the sync columns; no UNIQUE or foreign key (a merge could break them: the services keep the rules).
 * - skills: the list the association edits (« aide administrative », « courses », a language…); `category`
 *   'skill' | 'language'.
 * - volunteer_profiles: one per volunteer person (`person_id`), `user_id` when they use the app, `skills` (JSON array
 *   of skill ids), `area` (commune or quartier, free text), `hours_per_month` (commitment offered, may be NULL).
 * - availability_slots: weekly, `weekday` 1 (Monday) … 7 (Sunday) ISO 8601, `start_time`/`end_time` 'HH:MM' local
 *   time of `zone` (Europe/Paris by default).
 * - absences: `from_date`..`to_date` inclusive calendar dates (YYYY-MM-DD).
 * - circles: a support circle (« cercle », « galaxie ») around `person_id` (or a `household_id`), with a
 *   `coordinator_user_id` and the group `group_id` whose sealed scope key carries what the circle shares.
 * - circle_members: a person (`person_id`, family or volunteer) in a circle, `user_id` when they use the app.
 * - visits: `person_id` visited by `volunteer_id` (a person id), `start_at` ISO UTC instant, `zone` (IANA), `minutes`,
 *   `status` planned | done | missed | cancelled, `minutes_spent` (done), the note (in clear, or sealed in
 *   `ciphertext` + `key_wraps` for the circle's group: `visibility`), `series_id` + `recurrence` for a recurring series,
 *   `original_start_at` when one occurrence was moved.
 * - visit_rules: per person, « jamais plus de N heures sans visite » (`max_gap_hours`, default 48), the skills asked
 *   (JSON array of skill ids) and the area proposals prefer.
 */
import type { Migration } from './types';
import { syncColumns } from './0010_initial';

export const m0130: Migration = {
  name: '0130_volunteers',
  async up(knex) {
    await knex.schema.createTable('skills', (t) => {
      syncColumns(t);
      t.text('name').notNullable();
      t.text('category').notNullable().defaultTo('skill');
    });
    await knex.schema.createTable('volunteer_profiles', (t) => {
      syncColumns(t);
      t.text('person_id').notNullable();
      t.text('user_id');
      t.text('skills').notNullable().defaultTo('[]');
      t.text('area');
      t.integer('hours_per_month');
      t.index(['person_id']);
      t.index(['user_id']);
    });
    await knex.schema.createTable('availability_slots', (t) => {
      syncColumns(t);
      t.text('person_id').notNullable();
      t.integer('weekday').notNullable();
      t.text('start_time').notNullable();
      t.text('end_time').notNullable();
      t.text('zone').notNullable().defaultTo('Europe/Paris');
      t.index(['person_id']);
    });
    await knex.schema.createTable('absences', (t) => {
      syncColumns(t);
      t.text('person_id').notNullable();
      t.text('from_date').notNullable();
      t.text('to_date').notNullable();
      t.index(['person_id']);
    });
    await knex.schema.createTable('circles', (t) => {
      syncColumns(t);
      t.text('name').notNullable();
      t.text('person_id');
      t.text('household_id');
      t.text('coordinator_user_id');
      t.text('group_id');
      t.index(['person_id']);
    });
    await knex.schema.createTable('circle_members', (t) => {
      syncColumns(t);
      t.text('circle_id').notNullable();
      t.text('person_id').notNullable();
      t.text('user_id');
      t.text('role').notNullable().defaultTo('volunteer');
      t.index(['circle_id']);
      t.index(['person_id']);
    });
    await knex.schema.createTable('visits', (t) => {
      syncColumns(t);
      t.text('person_id').notNullable();
      t.text('volunteer_id');
      t.text('circle_id');
      t.text('start_at').notNullable();
      t.text('zone').notNullable().defaultTo('Europe/Paris');
      t.integer('minutes').notNullable().defaultTo(60);
      t.text('status').notNullable().defaultTo('planned');
      t.integer('minutes_spent');
      t.text('note');
      t.text('ciphertext');
      t.text('key_wraps');
      t.text('visibility').notNullable().defaultTo('{"kind":"everyone"}');
      t.text('series_id');
      t.text('recurrence');
      t.text('original_start_at');
      t.text('created_by');
      t.index(['person_id', 'start_at']);
      t.index(['volunteer_id', 'start_at']);
      t.index(['series_id']);
    });
    await knex.schema.createTable('visit_rules', (t) => {
      syncColumns(t);
      t.text('person_id').notNullable();
      t.integer('max_gap_hours').notNullable().defaultTo(48);
      t.text('skills').notNullable().defaultTo('[]');
      t.text('area');
      t.index(['person_id']);
    });
  },
};
