/** Which navigation sections a session may open: a section is shown only when its permission is granted. */
import type { Permission } from '../../../shared/domain/access';
import type { Section } from '../../app/router';

/** Any one of these permissions opens the section; an empty list means everyone. */
const NEEDS: Record<Section, readonly Permission[]> = {
  people: ['people.read', 'people.readGroups'],
  tasks: ['tasks.read', 'tasks.readOwn'],
  import: ['people.import'],
  users: ['users.manage'],
  roles: ['roles.manage'],
  groups: ['groups.manage'],
  audit: ['audit.read'],
  // Every unlocked user: the core lists only the conflicts of rows the user may see.
  conflicts: [],
  devices: ['users.manage'],
  retention: ['users.manage'],
  settings: [],
};

/** The navigation's items, in order. « Postes et synchronisation » and « Règles de conservation » open from Paramètres and the sync line instead. */
export const SECTIONS: readonly Section[] = ['people', 'tasks', 'import', 'users', 'roles', 'groups', 'audit', 'conflicts', 'settings'];

/** The navigation item marked current for a section that has none of its own. */
export function navSectionOf(section: Section): Section {
  return section === 'devices' || section === 'retention' ? 'settings' : section;
}

/** True when one of the section's permissions is among `permissions`. */
export function mayOpen(section: Section, permissions: readonly Permission[]): boolean {
  const needs = NEEDS[section];
  return needs.length === 0 || needs.some((p) => permissions.includes(p));
}
