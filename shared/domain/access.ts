/**
 * Access rights (droits d'accès): permissions, roles, groups, and the visibility (périmètre de visibilité) a writer
 * chooses for each note, task or paper. Permissions say what a user may do; visibility says who may read one record,
 * and is enforced by cryptography in the core (docs/access.md).
 */
import { z } from 'zod';
import { id, instant } from './common';

/**
 * Every permission, by id. The services check them on every path (screens, IPC, CLI, search, exports).
 * `people.readGroups` limits a user to the people of their groups; `notes.readOwn` to the notes they wrote or that
 * were addressed to them (by name or through a group); `tasks.readOwn` to the tasks they wrote or were given.
 */
export const PERMISSIONS = [
  'people.read',
  'people.readGroups',
  'people.readDetails',
  'people.readMembership',
  'people.write',
  'people.archive',
  'people.import',
  'people.assignGroups',
  'consents.write',
  'notes.read',
  'notes.readOwn',
  'notes.write',
  'tasks.read',
  'tasks.readOwn',
  'tasks.write',
  'documents.read',
  'documents.add',
  'documents.export',
  'users.manage',
  'roles.manage',
  'groups.manage',
  'audit.read',
  'settings.manage',
  'db.rawCopy',
  'treasury.read',
  'treasury.write',
  'treasury.issueReceipts',
  'treasury.export',
  'volunteers.read',
  'volunteers.manage',
  'visits.write',
  'messages.write',
  'contacts.alerts',
  'agenda.read',
  'agenda.write',
] as const;
export const permission = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof permission>;

/** French labels of the permissions, for the role editor and for refusal messages. */
export const PERMISSION_LABELS_FR: Record<Permission, string> = {
  'people.read': 'voir toutes les personnes',
  'people.readGroups': 'voir les personnes de ses groupes',
  'people.readDetails': 'voir la situation des personnes (naissance, foyer, remarques, compétences)',
  'people.readMembership': "voir l'adhésion (numéro, dates)",
  'people.write': 'créer et modifier des personnes',
  'people.archive': 'archiver des personnes',
  'people.import': 'importer des fichiers de personnes',
  'people.assignGroups': 'placer des personnes dans des groupes',
  'consents.write': 'recueillir et retirer le consentement',
  'notes.read': 'lire les notes de suivi',
  'notes.readOwn': 'lire ses notes de suivi et celles qui lui sont adressées',
  'notes.write': 'écrire des notes de suivi',
  'tasks.read': 'voir toutes les tâches',
  'tasks.readOwn': 'voir ses propres tâches',
  'tasks.write': 'créer et modifier des tâches',
  'documents.read': 'voir et imprimer les pièces',
  'documents.add': 'ajouter des pièces au coffre-fort',
  'documents.export': 'exporter des pièces',
  'users.manage': 'gérer les utilisateurs (demandes, rôles, groupes, désactivation)',
  'roles.manage': 'modifier les rôles',
  'groups.manage': 'gérer les groupes',
  'audit.read': 'consulter le journal des opérations',
  'settings.manage': 'modifier les réglages',
  'db.rawCopy': 'faire une copie déchiffrée de la base',
  'treasury.read': 'voir la trésorerie (cotisations, dons, montants)',
  'treasury.write': 'enregistrer cotisations, dons et écritures',
  'treasury.issueReceipts': 'émettre et annuler les reçus fiscaux',
  'treasury.export': 'exporter la comptabilité (FEC, CSV, bilans)',
  'volunteers.read': 'voir les bénévoles, les cercles et le planning des visites',
  'volunteers.manage': 'coordonner les bénévoles (profils, cercles, planning des visites)',
  'visits.write': 'prendre un créneau de visite et noter une visite faite ou manquée',
  'messages.write': 'écrire des messages internes',
  'contacts.alerts': 'voir les alertes de baisse des contacts',
  'agenda.read': "voir l'agenda",
  'agenda.write': "créer et modifier les événements de l'agenda",
};

export const BUILTIN_ROLE_IDS = ['admin', 'coordinator', 'social_worker', 'reception', 'treasurer', 'volunteer', 'readonly'] as const;
export type BuiltinRoleId = (typeof BUILTIN_ROLE_IDS)[number];

/**
 * The rights the `admin` role always keeps: without them nobody could ever manage accounts and roles again. The core
 * refuses to remove them (main/services/access/accessService.ts); the role editor shows them ticked and disabled.
 */
export const ADMIN_PROTECTED_PERMISSIONS: readonly Permission[] = ['users.manage', 'roles.manage'];

/** True when `permission` cannot be taken from `roleId` (ADMIN_PROTECTED_PERMISSIONS). */
export function isProtectedPermission(roleId: string, permission: Permission): boolean {
  return roleId === 'admin' && ADMIN_PROTECTED_PERMISSIONS.includes(permission);
}

const P = (...p: Permission[]): Permission[] => p;
const PEOPLE_FULL = P('people.read', 'people.readDetails', 'people.readMembership');
/** The treasury (docs/treasury.md): only `admin` and `treasurer` hold it by default. */
const TREASURY = P('treasury.read', 'treasury.write', 'treasury.issueReceipts', 'treasury.export');
/** Volunteers and visits (docs/volunteers.md): coordination plans, a volunteer reads and takes slots. */
const COORDINATION = P('volunteers.read', 'volunteers.manage', 'visits.write');
/** Every built-in role may message (docs/messages.md). */
const MESSAGES = P('messages.write');
const CASEWORK = P('notes.read', 'notes.write', 'tasks.read', 'tasks.write', 'documents.read', 'documents.add', 'documents.export', 'consents.write');
/** The agenda (docs/agenda.md): every role that works with people reads it; those who plan write it. */
const AGENDA = P('agenda.read', 'agenda.write');

/**
 * The default roles as the issue names them (issue 3 §1). The administrator can edit them and create others; these
 * are the values a new association starts with.
 */
export const DEFAULT_ROLES: readonly { id: BuiltinRoleId; name: string; permissions: readonly Permission[] }[] = [
  { id: 'admin', name: 'Administrateur', permissions: PERMISSIONS },
  {
    id: 'coordinator',
    name: 'Coordination',
    permissions: P(...PEOPLE_FULL, 'people.write', 'people.archive', 'people.import', 'people.assignGroups', ...CASEWORK, ...COORDINATION, ...AGENDA, ...MESSAGES, 'contacts.alerts'),
  },
  { id: 'social_worker', name: 'Travailleur social', permissions: P(...PEOPLE_FULL, 'people.write', 'people.archive', 'people.assignGroups', ...CASEWORK, 'volunteers.read', ...AGENDA, ...MESSAGES, 'contacts.alerts') },
  { id: 'reception', name: 'Accueil', permissions: P('people.read', 'people.readDetails', 'people.write', 'documents.read', 'documents.add', 'consents.write', ...AGENDA, ...MESSAGES) },
  { id: 'treasurer', name: 'Trésorerie', permissions: P('people.read', 'people.readMembership', 'people.write', 'people.import', ...TREASURY, ...MESSAGES) },
  { id: 'volunteer', name: 'Bénévole', permissions: P('people.readGroups', 'notes.readOwn', 'notes.write', 'tasks.readOwn', 'tasks.write', 'volunteers.read', 'visits.write', ...AGENDA, ...MESSAGES) },
  { id: 'readonly', name: 'Lecture seule', permissions: P(...PEOPLE_FULL, 'tasks.read', 'volunteers.read', 'agenda.read', ...MESSAGES) },
];

export const roleId = z.string().trim().min(1).max(64).regex(/^[a-z0-9_-]+$/, "identifiant de rôle : lettres minuscules, chiffres, « _ » ou « - »");

export const role = z.object({
  id: roleId,
  name: z.string(),
  permissions: z.array(permission),
  builtin: z.boolean(),
  userCount: z.number().int().min(0),
  /** For a built-in role: what this version gives it by default and it lacks (missingDefaultPermissions); else []. */
  missingDefaults: z.array(permission),
});
export type Role = z.infer<typeof role>;

export const groupName = z.string().trim().min(1).max(100);

export const group = z.object({
  id,
  name: z.string(),
  userIds: z.array(id),
  peopleCount: z.number().int().min(0),
  createdAt: instant,
});
export type Group = z.infer<typeof group>;

/**
 * Who may read one record: the whole association, the members of some groups, some users, or only its writer.
 * Anything narrower than the association is encrypted inside the database (docs/access.md).
 */
export const visibility = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('everyone') }).strict(),
  z.object({ kind: z.literal('groups'), groupIds: z.array(id).min(1, 'choisissez au moins un groupe').max(50) }).strict(),
  z.object({ kind: z.literal('users'), userIds: z.array(id).min(1, 'choisissez au moins une personne').max(50) }).strict(),
  z.object({ kind: z.literal('me') }).strict(),
]);
export type Visibility = z.infer<typeof visibility>;
export const EVERYONE: Visibility = { kind: 'everyone' };

/** A visibility with ids in a stable order and without repeats (so equal choices compare equal). */
export function canonicalVisibility(v: Visibility): Visibility {
  if (v.kind === 'groups') return { kind: 'groups', groupIds: [...new Set(v.groupIds)].sort() };
  if (v.kind === 'users') return { kind: 'users', userIds: [...new Set(v.userIds)].sort() };
  return v;
}

export const USER_STATUSES = ['active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/**
 * The permissions this version gives the built-in role `roleId` by default (DEFAULT_ROLES) that `permissions` lacks,
 * in PERMISSIONS order; [] for a role of the association's own. An association created by an earlier version keeps
 * its roles as they were signed: a permission added since (the treasury, volunteering, agenda, messages) is offered
 * to the administrator, never added silently (docs/access.md "Permissions added by a later version").
 */
export function missingDefaultPermissions(roleId: string, permissions: readonly Permission[]): Permission[] {
  const defaults = DEFAULT_ROLES.find((r) => r.id === roleId)?.permissions ?? [];
  return PERMISSIONS.filter((p) => defaults.includes(p) && !permissions.includes(p));
}
