/** Channels for roles, groups, case notes, consent and the audit trail (access rights). */
import { z } from 'zod';
import { channels } from './define';
import { id, isoDate } from '../domain/common';
import { group, groupName, permission, role, roleId, visibility } from '../domain/access';
import { caseNote, noteRevision, noteText } from '../domain/note';
import { consent, consentInput } from '../domain/consent';
import { auditEntry, auditFilter, auditVerifyReport } from '../domain/audit';

const empty = z.object({}).strict();

export const accessChannels = channels({
  'roles:list': { request: empty, response: z.object({ items: z.array(role) }) },
  /** Creates a role (no `id` known yet: give a new one) or replaces the permissions and name of an existing one. */
  'roles:save': {
    request: z.object({ id: roleId, name: z.string().trim().min(1).max(100), permissions: z.array(permission) }),
    response: role,
  },
  /**
   * Gives built-in roles the permissions this version grants them by default and they lack (`Role.missingDefaults`,
   * associations created by an earlier version); `roles.manage`. Returns the roles as saved.
   */
  'roles:applyDefaults': {
    request: z.object({ roleIds: z.array(roleId).min(1, 'choisissez au moins un rôle').max(50) }).strict(),
    response: z.object({ items: z.array(role) }),
  },
  'groups:list': { request: empty, response: z.object({ items: z.array(group) }) },
  'groups:create': { request: z.object({ name: groupName }), response: z.object({ id }) },
  /** The groups a person belongs to (people of a group are what its volunteers see). */
  'people:setGroups': { request: z.object({ personId: id, groupIds: z.array(id).max(100) }), response: z.object({ groupIds: z.array(id) }) },
  'people:groups': { request: z.object({ personId: id }), response: z.object({ groupIds: z.array(id) }) },
  'notes:list': { request: z.object({ personId: id }), response: z.object({ items: z.array(caseNote) }) },
  'notes:add': { request: z.object({ personId: id, text: noteText, visibility: visibility.default({ kind: 'everyone' }) }), response: z.object({ id }) },
  /** A new revision of a note (the old text is kept); only its author may revise it. */
  'notes:revise': { request: z.object({ id, text: noteText }), response: z.object({ id }) },
  'notes:history': { request: z.object({ id }), response: z.object({ items: z.array(noteRevision) }) },
  'consents:list': { request: z.object({ personId: id }), response: z.object({ items: z.array(consent) }) },
  'consents:record': { request: z.object({ personId: id, consent: consentInput }), response: z.object({ id }) },
  'consents:withdraw': { request: z.object({ id, withdrawnOn: isoDate }), response: z.object({ id }) },
  'audit:list': { request: auditFilter, response: z.object({ items: z.array(auditEntry), total: z.number().int().min(0) }) },
  'audit:verify': { request: empty, response: auditVerifyReport },
});
