/**
 * The users of a support circle, for its conversation (docs/messages.md "Circles"). Circles come from the volunteers
 * foundation; until this database has them, no circle exists.
 */
import type { Knex } from 'knex';
import type { CircleUsers } from './conversations';

/** The circle's name and the user accounts among its members; null when there is no such circle. */
export const circleUsers: CircleUsers = async (db: Knex | Knex.Transaction, circleId: string) => {
  if (!(await db.schema.hasTable('circles'))) return null;
  const c = (await db('circles').where({ id: circleId }).whereNull('deleted_at').first('name')) as { name: string } | undefined;
  return c ? { name: c.name, userIds: [] } : null;
};
