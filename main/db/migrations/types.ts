import type { Knex } from 'knex';

/** One schema step. Files are named NNNN_name.ts, numbered in steps of 10 (STYLE.md). Schema changes are additive. */
export interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
}
