/**
 * A support circle as its conversation needs it (docs/messages.md "Circles"): its name and the group that backs it
 * (main/services/volunteers/circlesService.ts: one group scope per circle).
 */
import type { CircleLookup } from './conversations';

/** The circle's name and backing group; null when there is no such live circle or it has no group. */
export const circleLookup: CircleLookup = async (db, circleId) => {
  const c = (await db('circles').where({ id: circleId }).whereNull('deleted_at').first('name', 'group_id')) as { name: string; group_id: string | null } | undefined;
  return c?.group_id ? { name: c.name, groupId: c.group_id } : null;
};
