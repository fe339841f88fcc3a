/**
 * Sync for the unlocked session (issue 4): status for the window, « Synchroniser maintenant », joining a hub,
 * inviting and revoking devices (administrators: the association root key certifies devices), and the background
 * loop (every screen works offline; sync runs when the hub answers, with backoff when it does not).
 */
import { v7 as uuidv7 } from 'uuid';
import { AppError } from '../../../shared/domain/errors';
import type { SyncStatus } from '../../../shared/contract/sync';
import { deviceCertMessage, revokeMessage } from '../../../shared/sync/protocol';
import { newSignKeyPair, sign, toB64 } from '../../crypto/identity';
import { revocationMessage } from '../../crypto/accessRecords';
import { readKeyring } from '../../crypto/keyring';
import { pendingCount, type SyncProgress, type SyncResult } from '../../sync/engine';
import { b64u, fromB64u, signDetached } from '../../sync/ed25519';
import { HubClient } from '../../sync/hubClient';
import type { HybridLogicalClock } from '../../sync/hlc';
import { newPairingCode, pairingKeys, sealPayload, type PairingPayload } from '../../sync/pairing';
import { getStates, setState, STATE } from '../../sync/state';
import { SYNCED_TABLES } from '../../sync/tables';
import type { OpenAssociation } from '../association/associationStore';
import type { RootKey } from '../access/rootKey';
import type { ServiceContext } from '../context';
import type { AuditVerifyReport } from '../../../shared/domain/audit';
import { anchorAudit, checkAuditAnchor } from './auditAnchor';
import { deviceAudience, loadDeviceSync, seedChangeLog, type DeviceSync } from './deviceSync';
import { exportSlots, importSlots } from './keySlots';
import { fetchBlobNow } from './fetchBlob';
import { reenrollRestored } from '../backup/reenroll';

/** Background loop: a run every 30 s when idle, 5 s after local changes, backoff 5 s → 5 min after failures. */
const IDLE_MS = 30_000;
const BUSY_MS = 5_000;
const MAX_BACKOFF_MS = 5 * 60_000;

export class SyncService {
  private device: DeviceSync | null | undefined;
  private running: Promise<SyncResult> | null = null;
  private progress: SyncProgress | null = null;
  private online: boolean | null = null;
  private failures = 0;
  private lastAttempt = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly association: OpenAssociation,
    private readonly root: RootKey,
    private readonly hlc: HybridLogicalClock,
    private readonly onProgress: (p: SyncProgress) => void = () => undefined,
  ) {}

  private async load(): Promise<DeviceSync | null> {
    if (this.device === undefined) {
      this.device = await loadDeviceSync({
        db: this.ctx.db,
        dir: this.association.dir,
        hlc: this.hlc,
        ...(this.root.publicKey ? { rootPublicKey: this.root.publicKey } : {}),
        audience: () => deviceAudience(this.ctx.db, this.association.keyring.slots.map((s) => s.userId)),
        now: () => this.ctx.clock.now().getTime(),
        onProgress: (p) => {
          this.progress = p;
          this.onProgress(p);
        },
      });
    }
    return this.device;
  }

  /** What the window shows: online or not, changes waiting, last sync, last error, conflicts, progress. */
  async status(conflicts: number): Promise<SyncStatus> {
    const device = await this.load();
    const s = await getStates(this.ctx.db);
    const error = s.get(STATE.lastError);
    const rejected = Number(((await this.ctx.db('sync_rejected').count({ n: '*' })) as { n: number }[])[0]?.n ?? 0);
    return {
      configured: device !== null,
      hubUrl: device?.hubUrl ?? null,
      deviceId: device?.deviceId ?? null,
      deviceName: device?.deviceName ?? null,
      online: this.online,
      running: this.running !== null,
      pending: await pendingCount(this.ctx.db),
      lastSyncAt: s.get(STATE.lastSyncAt) ?? null,
      lastReceivedAt: s.get(STATE.lastReceivedAt) ?? null,
      lastError: error ? lastErrorOf(error) : null,
      conflicts,
      rejected,
      progress: this.running ? this.progress : null,
      nextAttemptAt: device && this.timer ? new Date(this.lastAttempt + this.delay()).toISOString() : null,
    };
  }

  /** Adds the check against the audit anchor held by the hub (or kept at the last sync) to a chain report. */
  async withAuditAnchor(report: AuditVerifyReport): Promise<AuditVerifyReport> {
    return checkAuditAnchor(this.ctx.db, report, await this.load());
  }

  /** Fetches a paper's blob from the hub now (opened before it came down). False when this device does not sync. */
  async fetchBlob(name: string): Promise<boolean> {
    return fetchBlobNow(this.ctx.db, this.association.dir, await this.load(), name, this.ctx.clock.now().toISOString());
  }

  /** One sync now (waits for a run already going, then runs). Throws SYNC_NOT_CONFIGURED, HUB_UNREACHABLE, CLOCK_SKEW… */
  async now(): Promise<SyncResult> {
    if (this.running) await this.running.catch(() => undefined);
    // A folder restored from a backup first joins the hub as a new device (docs/backup.md).
    if (await reenrollRestored({ db: this.ctx.db, associationId: this.association.associationId, deviceId: this.hlc.deviceId, root: this.root, now: () => this.ctx.clock.now().getTime(), audit: (e) => this.ctx.audit(e) })) this.device = undefined;
    const device = await this.load();
    if (!device) throw new AppError('SYNC_NOT_CONFIGURED', "Ce poste n'est relié à aucun hub : un administrateur le relie dans « Postes et synchronisation ».");
    this.lastAttempt = this.ctx.clock.now().getTime();
    const run = (async () => {
      await exportSlots(this.ctx.db, this.ctx.mutator, this.association.dir, this.root);
      const result = await device.engine.sync();
      // The audit chain's head, signed, kept by the hub: a tail cut later shows in `audit verify`.
      await anchorAudit(this.ctx.db, device);
      // The session's copy too: the audience (narrower scopes received) follows the slots this device now holds.
      this.association.keyring = (await importSlots(this.ctx.db, this.association.dir, this.root.publicKey)).keyring;
      return result;
    })();
    this.running = run;
    try {
      const result = await run;
      this.online = true;
      this.failures = 0;
      return result;
    } catch (e) {
      this.online = !(e instanceof AppError && e.code === 'HUB_UNREACHABLE');
      this.failures++;
      throw e;
    } finally {
      this.running = null;
      this.progress = null;
    }
  }

  private requireRoot(): Uint8Array {
    this.ctx.access.require('users.manage');
    const sign = this.root.sign;
    if (!sign) throw new AppError('FORBIDDEN', "La clé racine de l'association n'est pas ouverte pour vous : reconnectez-vous en administrateur.");
    return sign;
  }

  /**
   * Registers the association and this device at a hub, and queues everything already here for the first push.
   * `registrationSecret`: the hub operator's secret, when the hub requires one for new associations.
   */
  async joinHub(hubUrl: string, deviceName: string, registrationSecret?: string): Promise<string> {
    const rootSecret = this.requireRoot();
    if (await this.load()) throw new AppError('ALREADY_EXISTS', 'Ce poste est déjà relié à un hub.');
    const { associationId } = this.association;
    const deviceId = this.hlc.deviceId;
    // The device key is kept before the hub hears of it, and taken again by a new attempt: a registration whose answer
    // was lost did register the device, and the hub refuses its id with any other key, for good.
    const kept = await getStates(this.ctx.db);
    const keptSecret = kept.get(STATE.deviceId) === deviceId ? kept.get(STATE.signSecretKey) : undefined;
    const keys = keptSecret ? { secretKey: fromB64u(keptSecret), publicKey: fromB64u(keptSecret).subarray(32) } : await newSignKeyPair();
    const publicKey = b64u(keys.publicKey);
    const cert = b64u(signDetached(rootSecret, deviceCertMessage(associationId, deviceId, publicKey)));
    if (!keptSecret) await setState(this.ctx.db, { [STATE.deviceId]: deviceId, [STATE.signSecretKey]: b64u(keys.secretKey), [STATE.signPublicKey]: publicKey });
    const client = new HubClient({ url: hubUrl, deviceId, signSecretKey: keys.secretKey, now: () => this.ctx.clock.now().getTime(), joined: false });
    await client.register({ associationId, rootPublicKey: b64u(this.root.publicKey!), device: { deviceId, publicKey, cert, name: deviceName } }, registrationSecret);
    await this.ctx.db.transaction(async (trx) => {
      await setState(trx, {
        [STATE.hubUrl]: client.url,
        [STATE.deviceId]: deviceId,
        [STATE.deviceName]: deviceName,
        [STATE.signSecretKey]: b64u(keys.secretKey),
        [STATE.signPublicKey]: publicKey,
        [STATE.deviceCert]: cert,
        [STATE.rootPublicKey]: b64u(this.root.publicKey!),
      });
      await seedChangeLog(trx, this.hlc, SYNCED_TABLES, uuidv7());
      await this.ctx.audit({ action: 'sync.join', targetType: 'device', targetId: deviceId, details: { hub: client.url } }, trx);
    });
    this.device = undefined;
    this.kick();
    return associationId;
  }

  /** Invites a new device: makes and certifies its key, seals what it needs under a new pairing code. */
  async invite(name: string): Promise<{ code: string; expiresAt: string; deviceId: string }> {
    const rootSecret = this.requireRoot();
    const device = await this.load();
    if (!device) throw new AppError('SYNC_NOT_CONFIGURED', "Reliez d'abord ce poste à un hub.");
    const { associationId, dir, dbKey } = this.association;
    const deviceId = uuidv7();
    const keys = await newSignKeyPair();
    const publicKey = b64u(keys.publicKey);
    const cert = b64u(signDetached(rootSecret, deviceCertMessage(associationId, deviceId, publicKey)));
    const meta = Object.fromEntries(((await this.ctx.db('meta').whereNotIn('key', ['device_id']).select('key', 'value')) as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    const payload: PairingPayload = {
      v: 1,
      associationId,
      associationName: meta['association_name'] ?? '',
      hubUrl: device.hubUrl,
      deviceId,
      deviceName: name,
      signSecretKey: b64u(keys.secretKey),
      signPublicKey: publicKey,
      deviceCert: cert,
      rootPublicKey: b64u(this.root.publicKey!),
      dbKey: b64u(dbKey),
      meta,
      scopeKeys: (await this.ctx.db('scope_keys').select('scope_id', 'epoch', 'key', 'created_at')) as PairingPayload['scopeKeys'],
      keyring: await readKeyring(dir),
    };
    const code = newPairingCode();
    const pk = await pairingKeys(code);
    const res = await device.client.invite({ inviteId: pk.inviteId, verifier: pk.verifier, payload: await sealPayload(pk, payload), device: { deviceId, publicKey, cert, name } });
    await this.ctx.audit({ action: 'device.invite', targetType: 'device', targetId: deviceId, details: { name } });
    return { code, expiresAt: new Date(res.expiresAt).toISOString(), deviceId };
  }

  /** The association's devices as the hub knows them. */
  async devices(): Promise<{ deviceId: string; name: string; createdAt: string; revokedAt: string | null; lastSeenAt: string | null; current: boolean }[]> {
    this.ctx.access.require('users.manage');
    const device = await this.load();
    if (!device) return [];
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return (await device.client.devices()).devices.map((d) => ({
      deviceId: d.deviceId,
      name: d.name,
      createdAt: new Date(d.createdAt).toISOString(),
      revokedAt: iso(d.revokedAt),
      lastSeenAt: iso(d.lastSeenAt),
      current: d.deviceId === device.deviceId,
    }));
  }

  /**
   * Revokes a device: at the hub (signed by the root key: it is refused from its next request on) and, for every
   * device, as a signed record with a cutoff (`device_revocations`, synced): envelopes it sealed after the cutoff
   * are refused at merge even if a hub keeps serving them (docs/sync.md "Devices").
   */
  async revoke(deviceId: string): Promise<void> {
    const rootSecret = this.requireRoot();
    const device = await this.load();
    if (!device) throw new AppError('SYNC_NOT_CONFIGURED', "Ce poste n'est relié à aucun hub.");
    if (deviceId === device.deviceId) throw new AppError('VALIDATION', 'Ce poste ne peut pas se retirer lui-même : faites-le depuis un autre poste.');
    const cutoff = this.ctx.clock.now().getTime();
    const signature = await toB64(await sign(rootSecret, revocationMessage(device.associationId, deviceId, cutoff)));
    await this.ctx.db.transaction(async (trx) => {
      const m = this.ctx.mutator.with(trx);
      const existing = (await trx('device_revocations').where({ id: deviceId }).first('cutoff')) as { cutoff: string } | undefined;
      // Revoked before: the earlier cutoff stays (a revocation never moves later).
      if (!existing) await m.insert('device_revocations', [{ id: deviceId, cutoff: String(cutoff), signature }]);
      await this.ctx.audit({ action: 'device.revoke', targetType: 'device', targetId: deviceId, details: { cutoff: new Date(cutoff).toISOString() } }, trx);
    });
    await device.client.revoke(deviceId, b64u(signDetached(rootSecret, revokeMessage(device.associationId, deviceId))));
    this.kick();
  }

  /** Starts the background loop (hosts with a window; not the CLI). */
  startBackground(): void {
    this.stopped = false;
    this.schedule(1_000);
  }

  /** Stops the loop and waits for a run in progress (before the database closes). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.device?.engine.stop(); // a run in progress ends at its next request or page
    await this.running?.catch(() => undefined);
    this.device = undefined; // that engine stays stopped: a later run builds another
  }

  /** Asks for a run soon (after a local change or a join). */
  kick(): void {
    if (this.timer && !this.stopped) this.schedule(500);
  }

  private delay(): number {
    return this.failures > 0 ? Math.min(MAX_BACKOFF_MS, BUSY_MS * 2 ** (this.failures - 1)) : IDLE_MS;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      const device = await this.load();
      const now = this.ctx.clock.now().getTime();
      const due = () => now - this.lastAttempt >= this.delay() || (this.failures === 0 && now - this.lastAttempt >= BUSY_MS && pendingCount(this.ctx.db).then((n) => n > 0));
      if (device && !this.running && (await due())) await this.now().catch(() => undefined);
    } catch {
      // the database closed under us (lock): the loop stops with the session
    }
    this.schedule(BUSY_MS);
  }
}

/** The last error recorded by the engine; a damaged record is shown as such instead of failing the whole status. */
function lastErrorOf(json: string): { code: string; message: string; at: string } {
  try {
    const v = JSON.parse(json) as { code?: unknown; message?: unknown; at?: unknown };
    if (typeof v.code === 'string' && typeof v.message === 'string' && typeof v.at === 'string') return { code: v.code, message: v.message, at: v.at };
  } catch {
    // below
  }
  return { code: 'INTERNAL', message: 'Dernière erreur de synchronisation illisible.', at: new Date(0).toISOString() };
}
