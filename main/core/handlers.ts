/**
 * Every core channel mapped to its service call. Handlers are thin: the contract has already parsed the request,
 * the services hold the rules. Channels other than association creation and unlock need an unlocked session.
 */
import type { HandlerContext, Handlers } from './dispatch';
import type { CoreChannel } from '../../shared/contract';
import { wipe } from '../crypto/aead';
import type { Session } from './session';
import type { Clock, Preferences } from './ports';
import { AppError } from '../../shared/domain/errors';
import type { KdfCost } from '../crypto/kdf';
import { createAssociation, openAssociation } from '../services/association/associationStore';
import { requestAccount, resetPassword } from '../services/association/accounts';
import { recoverySheetPdf, renewRecovery } from '../services/association/recovery';
import { rawCopy } from '../services/association/rawCopy';
import { Session as SessionClass } from './session';
import { RecentAssociations } from './recent';
import { throttleProgress } from './progress';
import { hostname } from 'node:os';
import { joinAssociation } from '../services/sync/join';
import type { SessionOptions } from './session';
import { backupHandlers, SESSIONLESS_BACKUP } from './backupHandlers';
import { erasureHandlers } from './erasureHandlers';
import { duesHandlers } from './duesHandlers';
import { papersHandlers } from './papersHandlers';
import { agendaHandlers } from './agendaHandlers';
import { engagementHandlers } from './engagementHandlers';
import { volunteersHandlers } from './volunteersHandlers';
import { messageHandlers } from './messagesHandlers';
import { receiptHandlers } from './receiptHandlers';
import { ledgerHandlers } from './ledgerHandlers';
import { scanHandlers } from './scanHandlers';
import { ScannerRegistry } from '../scan/registry';
import { ScanSessions } from '../scan/session';
import { defaultScanDrivers } from '../scan/drivers';
import { inboxHandlers } from './inboxHandlers';
import type { ScannerDriver } from '../scan/types';
import type { EventName, EventPayload } from '../../shared/contract';
import { ocrHandlers } from './ocrHandlers';
import { mrzHandlers } from './mrzHandlers';

export interface CoreState {
  session: Session | null;
  /** The association and user of the last session opened (memory only): the unlock form of a fresh window is prefilled. */
  last?: { dir: string; userName: string } | null;
  /** Scan sessions: pages in memory only, dropped at lock (docs/scanning.md). */
  scans?: ScanSessions;
}

export interface HandlerDeps {
  state: CoreState;
  prefs: Preferences;
  clock: Clock;
  cost?: KdfCost;
  lock(reason: 'user' | 'idle'): Promise<void>;
  session?: SessionOptions;
  /** Scanner drivers (default: this PC's, main/scan/drivers.ts); tests pass their own. */
  scanDrivers?: ScannerDriver[];
  /** Events not tied to a request (scan pages arrive after `scan:start` answered); default: the request's context. */
  emit?: <E extends EventName>(event: E, payload: EventPayload<E>) => void;
}

export function buildHandlers(deps: HandlerDeps): Handlers {
  const { state, clock } = deps;
  const recent = new RecentAssociations(deps.prefs);
  const s = (): Session => {
    if (!state.session) throw new AppError('LOCKED', "L'association est verrouillée : déverrouillez-la pour continuer.");
    return state.session;
  };
  // Unlocks (and creations) one at a time: two at once would both find no session to lock and the first one's
  // database would stay open, its key in memory, once the second replaced it in `state.session`.
  let opening: Promise<unknown> = Promise.resolve();
  const begin = (open: Awaited<ReturnType<typeof openAssociation>>) => {
    const next = opening.then(async () => {
      let session: Session;
      try {
        await deps.lock('user');
        session = await SessionClass.start(open, clock, deps.cost, { ...deps.session, prefs: deps.prefs });
      } catch (e) {
        await open.db.destroy();
        await wipe(open.dbKey, open.keys.boxSecretKey, open.keys.signSecretKey);
        throw e;
      }
      state.session = session;
      const info = session.info();
      state.last = { dir: info.dir, userName: info.user.name };
      recent.remember(info.dir, info.associationName);
      return info;
    });
    opening = next.catch(() => undefined);
    return next;
  };

  const scans = (state.scans ??= new ScanSessions());
  const handlers: Handlers = {
    'association:create': async (r) => {
      const created = await createAssociation(r, clock, deps.cost);
      const recoveryCode = created.recoveryCode!;
      delete created.recoveryCode;
      return { ...(await begin(created)), recoveryCode };
    },
    'session:unlock': async (r) => begin(await openAssociation(r.dir, r.userName, r.password, clock)),
    'session:requestAccount': async (r) => {
      await requestAccount(r.dir, r, clock, deps.cost);
      return { requested: true as const };
    },
    'session:resetPassword': async (r) => {
      await resetPassword(r.dir, r.userName, r.recoveryCode, r.newPassword, clock, deps.cost);
      return { reset: true as const };
    },
    'session:lock': async (r) => {
      await deps.lock(r.reason);
      return { locked: true as const };
    },
    // Activity is recorded for every request by createCore's idle watch; this one only says "still here".
    'session:touch': async () => ({ unlocked: state.session !== null }),
    'session:current': async () => state.session?.info() ?? null,
    // A fresh window never inherits the open session (a reload must ask for the password again).
    'session:start': async () => {
      await opening; // an unlock already under way ends first, then is locked too
      const locked = state.session !== null;
      await deps.lock('user');
      return { locked, last: state.last ?? null };
    },
    'session:recentAssociations': async () => ({ items: recent.list() }),
    'settings:update': async (r) => {
      await s().setAutoLockMinutes(r.autoLockMinutes);
      return s().info();
    },
    'users:list': async () => ({ items: await s().users.list() }),
    'users:add': async (r) => ({ id: await s().users.add(r) }),
    'users:directory': async () => ({ items: await s().users.directory() }),
    'users:requests': async () => ({ items: await s().users.requests() }),
    'users:approve': async (r) => ({ id: await s().users.approve(r.requestId, r.roleId, r.groupIds) }),
    'users:reject': async (r) => {
      await s().users.reject(r.requestId);
      return { id: r.requestId };
    },
    'users:update': async (r) => s().users.update(r.id, r),
    'users:confirmKeys': async (r) => ({ id: r.userId, fingerprint: await s().users.confirmKeys(r.userId) }),
    'recovery:renew': async () => ({ recoveryCode: await renewRecovery(s().ctx, s().association, deps.cost) }),
    'recovery:sheet': async (r) => {
      s().ctx.access.require('users.manage');
      return { pdf: await recoverySheetPdf(s().info().associationName, r.recoveryCode.match(/.{5}/g)!.join('-'), clock.now()) };
    },
    'db:rawCopy': async (r) => ({ path: await rawCopy(s().ctx, r.out) }),
    'roles:list': async () => ({ items: await s().access.roles() }),
    'roles:save': async (r) => s().access.saveRole(r),
    'roles:applyDefaults': async (r) => ({ items: await s().access.applyDefaultPermissions(r.roleIds) }),
    'groups:list': async () => ({ items: await s().access.groups() }),
    'groups:create': async (r) => ({ id: await s().access.createGroup(r.name) }),
    'people:groups': async (r) => ({ groupIds: await s().access.personGroups(r.personId) }),
    'people:setGroups': async (r) => ({ groupIds: await s().access.setPersonGroups(r.personId, r.groupIds) }),
    'notes:list': async (r) => ({ items: await s().notes.list(r.personId) }),
    'notes:add': async (r) => ({ id: await s().notes.add(r.personId, r.text, r.visibility) }),
    'notes:revise': async (r) => ({ id: await s().notes.revise(r.id, r.text) }),
    'notes:history': async (r) => ({ items: await s().notes.history(r.id) }),
    'consents:list': async (r) => ({ items: await s().consents.list(r.personId) }),
    'consents:record': async (r) => ({ id: await s().consents.record(r.personId, r.consent) }),
    'consents:withdraw': async (r) => {
      await s().consents.withdraw(r.id, r.withdrawnOn);
      return { id: r.id };
    },
    'audit:list': async (r) => s().access.audit(r),
    'audit:verify': async () => s().sync.withAuditAnchor(await s().access.verifyAudit()),
    'vault:recordPrint': async (r) => {
      await s().vault.recordPrint(r.id);
      return { id: r.id };
    },
    'users:changePassword': async (r) => {
      await s().users.changePassword(r.currentPassword, r.newPassword);
      return { changed: true as const };
    },
    'people:search': async (r) => s().people.search(r.query, r.limit, r.includeArchived, r.offset),
    'people:get': async (r) => s().people.get(r.id),
    'people:findDuplicates': async (r) => ({ items: await s().people.findDuplicates(r.person, r.excludeId) }),
    'people:create': async (r) => ({ id: await s().people.create(r.person) }),
    'people:update': async (r) => {
      await s().people.update(r.id, r.person);
      return { id: r.id };
    },
    'people:archive': async (r) => {
      await s().people.setArchived(r.id, r.archived);
      return { id: r.id };
    },
    'households:list': async () => ({ items: await s().people.listHouseholds() }),
    'households:create': async (r) => ({ id: await s().people.createHousehold(r.name, r.memberIds) }),
    'imports:preview': async (r) => s().imports.preview(r.fileName, r.bytes),
    'imports:run': async (r, ctx) => {
      const progress = throttleProgress((_stage, done, total) => ctx.emit('imports:progress', { operationId: r.operationId, done, total }));
      return s().imports.run(r.fileName, r.bytes, r.columns, r.defaultKinds, r.dryRun, (done, total) => progress(undefined, done, total), r.excludePersonIds);
    },
    'tasks:list': async (r) => ({ items: await s().tasks.list(r.view, r.personId) }),
    'tasks:create': async (r) => ({ id: await s().tasks.create(r.task) }),
    'tasks:update': async (r) => {
      await s().tasks.update(r.id, r.task);
      return { id: r.id };
    },
    'tasks:setStatus': async (r) => {
      await s().tasks.setStatus(r.id, r.status);
      return { id: r.id };
    },
    'vault:addDocument': async (r, ctx) =>
      s().vault.add(r.personId, r.meta, r.files, throttleProgress((stage, done, total) => ctx.emit('vault:progress', { operationId: r.operationId, stage, done, total }))),
    'vault:replaceDocument': async (r, ctx) =>
      s().vault.replace(r.id, r.files, throttleProgress((stage, done, total) => ctx.emit('vault:progress', { operationId: r.operationId, stage, done, total }))),
    'vault:removeDocument': async (r) => {
      await s().vault.remove(r.id);
      return { id: r.id };
    },
    'vault:listDocuments': async (r) => ({ items: await s().vault.list(r.personId) }),
    'vault:readDocument': async (r) => s().vault.read(r.id),
    'vault:exportDocument': async (r) => ({ path: await s().vault.export(r.id, r.path) }),
    'vault:verify': async () => s().vault.verify(),
    'sync:status': async () => s().sync.status(await s().conflicts.count()),
    'sync:now': async () => {
      const r = await s().sync.now();
      return { pushed: r.pushed, pulled: r.pulled, pending: r.pending, conflicts: r.conflicts, rejected: r.rejected };
    },
    'sync:joinHub': async (r) => ({ associationId: await s().sync.joinHub(r.hubUrl, r.deviceName ?? hostname(), r.registrationSecret) }),
    'devices:list': async () => ({ items: await s().sync.devices() }),
    'devices:invite': async (r) => s().sync.invite(r.name),
    'devices:join': async (r, ctx) => {
      const progress = throttleProgress((stage, done, total) => ctx.emit('sync:progress', { operationId: r.operationId, stage, done, total }));
      const joined = await joinAssociation(r.dir, r.hubUrl, r.code, clock, (p) => progress(p.stage, p.done, p.total));
      recent.remember(joined.dir, joined.associationName);
      return { deviceId: joined.deviceId, associationId: joined.associationId, associationName: joined.associationName, dir: joined.dir };
    },
    'devices:revoke': async (r) => {
      await s().sync.revoke(r.deviceId);
      return { deviceId: r.deviceId };
    },
    'conflicts:list': async (r) => ({ items: await s().conflicts.list(r.includeResolved) }),
    'conflicts:restore': async (r) => {
      await s().conflicts.restore(r.id);
      return { id: r.id };
    },
    'conflicts:dismiss': async (r) => {
      await s().conflicts.dismiss(r.id);
      return { id: r.id };
    },
    ...backupHandlers(s, () => state.session),
    ...erasureHandlers(s),
    ...duesHandlers(s),
    ...papersHandlers(s),
    ...agendaHandlers(s),
    ...engagementHandlers(s),
    ...volunteersHandlers(s),
    ...messageHandlers(s),
    ...receiptHandlers(s),
    ...ledgerHandlers(s),
    ...scanHandlers(s, { registry: new ScannerRegistry(deps.scanDrivers ?? defaultScanDrivers(deps.prefs)), sessions: scans, emit: deps.emit }),
    ...ocrHandlers(s),
    ...mrzHandlers(s, scans),
    ...inboxHandlers(s, { prefs: deps.prefs, active: () => state.session !== null, emit: deps.emit }),
  };

  // Every channel that works on the open session runs through `Session.run`, so that a lock waits for it.
  const sessionless = new Set<CoreChannel>(['association:create', 'session:unlock', 'session:requestAccount', 'session:resetPassword', 'session:lock', 'session:touch', 'session:current', 'session:start', 'session:recentAssociations', 'devices:join', ...SESSIONLESS_BACKUP]);
  for (const channel of Object.keys(handlers) as CoreChannel[]) {
    if (sessionless.has(channel)) continue;
    const handler = handlers[channel] as (request: unknown, ctx: HandlerContext) => Promise<unknown>;
    (handlers as Record<CoreChannel, (request: unknown, ctx: HandlerContext) => Promise<unknown>>)[channel] = (request, ctx) => {
      const session = state.session;
      return session ? session.run(() => handler(request, ctx)) : handler(request, ctx);
    };
  }
  return handlers;
}
