/** Which navigation sections a session may open: a section is shown only when its permission is granted. */
import type { Permission } from '../../../shared/domain/access';
import type { Section } from '../../app/router';

/** Any one of these permissions opens the section; an empty list means everyone. */
const NEEDS: Record<Section, readonly Permission[]> = {
  people: ['people.read', 'people.readGroups'],
  tasks: ['tasks.read', 'tasks.readOwn'],
  papers: ['documents.read'],
  import: ['people.import'],
  users: ['users.manage'],
  roles: ['roles.manage'],
  groups: ['groups.manage'],
  audit: ['audit.read'],
  // Every unlocked user: the core lists only the conflicts of rows the user may see.
  conflicts: [],
  devices: ['users.manage'],
  backups: ['users.manage'],
  retention: ['users.manage'],
  treasury: ['treasury.read'],
  volunteers: ['volunteers.read'],
  circles: ['volunteers.read'],
  visits: ['volunteers.read'],
  volunteering: ['volunteers.read', 'visits.write', 'volunteers.manage'],
  agenda: ['agenda.read'],
  // « Mon engagement »: a volunteer who takes visits, or the coordination (who sees everyone's hours).
  engagement: ['visits.write', 'volunteers.manage'],
  settings: [],
  messages: ['messages.write'],
};

/**
 * The navigation's items, in one fixed order for every role (docs/ui.md « Header »): the desk's daily work first, then
 * administration, « Paramètres » last and pinned at the end of the bar. An item the role cannot use is left out; the
 * others keep their order. « Postes et synchronisation », « Sauvegardes » and « Règles de conservation » open from
 * Paramètres (and the sync line) instead; « Visites », « Bénévoles », « Cercles » and « Mon engagement » from
 * « Bénévolat » (a sub-navigation on each of them).
 */
export const SECTIONS: readonly Section[] = ['people', 'tasks', 'messages', 'agenda', 'papers', 'volunteering', 'treasury', 'conflicts', 'import', 'users', 'roles', 'groups', 'audit', 'settings'];

/** The sections shown in the navigation: those the session may open; « Conflits » only once the association syncs. */
export function navSections(permissions: readonly Permission[], syncing: boolean): Section[] {
  return SECTIONS.filter((s) => mayOpen(s, permissions) && (s !== 'conflicts' || syncing));
}

/** The screens grouped under the nav item « Bénévolat », in the order of its sub-navigation. */
export const VOLUNTEERING = ['visits', 'volunteers', 'circles', 'engagement'] as const;
export type VolunteeringSection = (typeof VOLUNTEERING)[number];

/** The screens of « Bénévolat » the session may open (the first is where the nav item leads). */
export function volunteeringSections(permissions: readonly Permission[]): VolunteeringSection[] {
  return VOLUNTEERING.filter((s) => mayOpen(s, permissions));
}

/** The navigation item marked current for a section that has none of its own. */
export function navSectionOf(section: Section): Section {
  if ((VOLUNTEERING as readonly Section[]).includes(section)) return 'volunteering';
  return section === 'devices' || section === 'backups' || section === 'retention' ? 'settings' : section;
}

/** True when one of the section's permissions is among `permissions`. */
export function mayOpen(section: Section, permissions: readonly Permission[]): boolean {
  const needs = NEEDS[section];
  return needs.length === 0 || needs.some((p) => permissions.includes(p));
}
