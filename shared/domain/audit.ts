/**
 * The audit trail (journal des opérations): append-only, each entry chained to the previous one by a SHA-256 hash,
 * so that altering, inserting or removing an entry breaks the chain at that entry (Décret n° 2018-418 du 30 mai 2018
 * relatif aux modalités de mise en œuvre du coffre-fort numérique: operations on stored documents are traced).
 */
import { z } from 'zod';
import { instant, isoDate } from './common';

export const AUDIT_ACTIONS = [
  'session.unlock',
  'session.unlockFailed',
  'session.lock',
  'association.create',
  'person.create',
  'person.update',
  'person.archive',
  'person.groups',
  'person.erase',
  'person.exportData',
  'person.importData',
  'retention.update',
  'household.create',
  'import.run',
  'note.create',
  'note.revise',
  'task.create',
  'task.update',
  'document.add',
  'document.view',
  'document.export',
  'document.print',
  'vault.replaced',
  'vault.removed',
  'consent.record',
  'consent.withdraw',
  'user.request',
  'user.approve',
  'user.reject',
  'user.add',
  'user.update',
  'user.passwordChange',
  'role.save',
  'group.create',
  'group.keyRotated',
  'keys.certified',
  'keys.unconfirmed',
  'keys.confirmed',
  'keys.rootCreated',
  'keys.reescrowed',
  'keys.resealed',
  'keys.adoptionRecorded',
  'keyring.signed',
  'keyring.refused',
  'access.refused',
  'access.adopted',
  'settings.update',
  'recovery.used',
  'recovery.renew',
  'db.rawCopy',
  'sync.join',
  'sync.deviceJoined',
  'device.invite',
  'device.revoke',
  'device.reenroll',
  'backup.create',
  'backup.restore',
  'conflict.restore',
  'conflict.dismiss',
  // Treasury (docs/treasury.md)
  'treasury.keys',
  'dues.feeTypeSave',
  'dues.feeTypeDelete',
  'dues.pay',
  'dues.paymentCancel',
  'dues.renew',
  'dues.exempt',
  'dues.remindersExport',
  'dues.settings',
  'dues.tariffMap',
  'person.referent',
  'papers.settings',
  'papers.reminders',
  'deposit.issue',
  'deposit.reprint',
  'deposit.verify',
  'agenda.create',
  'agenda.update',
  'agenda.remove',
  'agenda.occurrence',
  'agenda.export',
  'engagement.export',
  'skill.save',
  'volunteer.save',
  'volunteer.absence',
  'circle.create',
  'circle.member',
  'visit.rule',
  'visit.plan',
  'visit.update',
  'message.send',
  'conversation.start',
  'conversation.addMembers',
  'contacts.rulesUpdate',
  // Gifts and tax receipts (docs/treasury.md « Dons et reçus fiscaux »)
  'gift.record',
  'receipt.issue',
  'receipt.cancel',
  'receipt.print',
  'receipt.settings',
  // Cash book and bank (docs/treasury.md « Journal et banque »)
  'ledger.entryAdd',
  'ledger.entryReverse',
  'ledger.deposit',
  'ledger.depositPrint',
  'ledger.bankImport',
  'ledger.matchConfirm',
  'ledger.matchUndo',
  'ledger.exportFec',
  'ledger.exportCsv',
  'ledger.exportSummary',
] as const;
export const auditAction = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof auditAction>;

export const auditEntry = z.object({
  seq: z.number().int().min(1),
  at: instant,
  actorName: z.string(),
  action: auditAction,
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  /** Ids, field names and counts only: never the content of a note, a paper or a field. */
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof auditEntry>;

export const auditFilter = z.object({
  actorName: z.string().trim().max(64).optional(),
  action: auditAction.optional(),
  targetId: z.string().trim().max(64).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  limit: z.number().int().min(1).max(500).default(100),
  offset: z.number().int().min(0).default(0),
});

export const auditVerifyReport = z.object({
  entries: z.number().int().min(0),
  ok: z.boolean(),
  firstBadEntry: z.number().int().nullable(),
  /**
   * The chain's head as anchored at the hub by this device (docs/sync.md "Audit anchor"), when it has one: `ok` false
   * when the local chain is shorter than it or differs at that entry; `source` says whether it was read from the hub
   * now or from the copy kept at the last sync (hub unreachable).
   */
  anchor: z.object({ seq: z.number().int(), ok: z.boolean(), source: z.enum(['hub', 'local']) }).nullable().optional(),
});
export type AuditVerifyReport = z.infer<typeof auditVerifyReport>;
