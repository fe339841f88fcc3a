/** Labels of permissions and audit actions in the UI language (ids contain dots, i18n keys use « _ »). */
import type { TFunction } from 'i18next';
import type { Permission } from '../../../shared/domain/access';
import type { AuditAction } from '../../../shared/domain/audit';
import type fr from '../../i18n/fr.json';

type PermissionKey = keyof (typeof fr)['permissions'];
type ActionKey = keyof (typeof fr)['auditActions'];

export function permissionLabel(t: TFunction, permission: Permission): string {
  return t(`permissions.${permission.replace('.', '_') as PermissionKey}`);
}

export function auditActionLabel(t: TFunction, action: AuditAction): string {
  return t(`auditActions.${action.replace('.', '_') as ActionKey}`);
}

/** A role id from its name: lower-case ASCII letters and digits, « _ » between words (« Aide aux devoirs » → aide_aux_devoirs). */
export function roleIdOf(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
}
