/**
 * The device side of the hub protocol (shared/sync/protocol.ts) over HTTP: every request signed with the device's
 * Ed25519 key, every answer parsed with the protocol's zod schemas before anything is used (a malformed or
 * truncated answer is refused whole: SYNC_REJECTED naming what was wrong), every failure turned into an AppError
 * whose French message can be shown as is:
 * - HUB_UNREACHABLE: no answer (offline, wrong address, timeout), naming the hub's address;
 * - CLOCK_SKEW: this PC's clock is too far from the hub's, saying by how many minutes;
 * - INVITE_INVALID: a pairing code refused (wrong, expired, used, burnt), with the hub's sentence;
 * - HUB_REFUSED: any other refusal, with the hub's sentence (`details.hubCode` holds the protocol code).
 * The hub's time from the last answer is kept (`lastServerTime`, `clockSkewMs`) so the engine can stop when the
 * clocks drift apart even while requests still succeed.
 */
import { createHash } from 'node:crypto';
import { z, type ZodType } from 'zod';
import { AppError } from '../../shared/domain/errors';
import {
  API,
  AUTH_HEADERS,
  CONTENT_DIGEST_HEADER,
  REGISTRATION_SECRET_HEADER,
  auditAnchorResponse,
  authMessage,
  devicesResponse,
  healthResponse,
  hubError,
  inviteResponse,
  pullResponse,
  pushResponse,
  redeemResponse,
  registerResponse,
  type AuditAnchor,
  type Envelope,
  type inviteRequest,
  type redeemRequest,
  type registerRequest,
} from '../../shared/sync/protocol';
import { signDetached } from './ed25519';
import { AnswerTooLarge, MAX_ANSWER_BYTES, MAX_BLOB_BYTES, MAX_ERROR_BYTES, readBytes, readText } from './hubAnswer';

export type RegisterRequest = z.infer<typeof registerRequest>;
export type InviteRequest = z.infer<typeof inviteRequest>;
export type RedeemRequest = z.infer<typeof redeemRequest>;
export type BlobStatus = { stored: true; size: number } | { stored: false; uploaded: number };

export interface HubClientOptions {
  /** The hub's base address, e.g. `https://hub.example.org` (without `/v1`). */
  url: string;
  deviceId: string;
  /** libsodium Ed25519 secret key of this device (64 bytes: seed ‖ public key). */
  signSecretKey: Uint8Array;
  fetch?: typeof fetch;
  /** This PC's clock, ms since the epoch (tests shift it). */
  now?: () => number;
  /** Per request, in ms (default 30 s). */
  timeoutMs?: number;
  /**
   * False while joining (no hub was ever joined here): an unreachable hub then asks to check its address, and never
   * promises that « la synchronisation reprendra plus tard ». Default true.
   */
  joined?: boolean;
}

const timeOnly = z.object({ serverTime: z.number() });
const blobPut = z.object({ uploaded: z.number().int().nonnegative(), stored: z.boolean(), serverTime: z.number() });
const blobDone = z.object({ size: z.number().int().nonnegative(), serverTime: z.number() });
const sizeHeader = z.string().regex(/^\d{1,16}$/).transform(Number);

interface Call {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** A JSON body, or raw bytes sent as application/octet-stream. */
  json?: unknown;
  bytes?: Uint8Array;
  headers?: Record<string, string>;
  /** Sign the request (every route but health and redeem). */
  auth: boolean;
  /** What the call is, for messages ("envoi", "lecture"…). */
  what: string;
  /** Statuses to hand back to the caller instead of failing (e.g. 404 on HEAD). */
  accept?: number[];
}

const trimUrl = (url: string) => url.replace(/\/+$/, '');

/** Talks to one hub as one device. Methods mirror the routes of shared/sync/protocol.ts. */
export class HubClient {
  readonly url: string;
  private readonly deviceId: string;
  private readonly secretKey: Uint8Array;
  private readonly fetchFn: typeof fetch;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly joined: boolean;
  /** The hub's clock in its last answer (ms since the epoch), null before the first. */
  lastServerTime: number | null = null;
  /** This PC's clock minus the hub's, measured at the last answer (positive: this PC is ahead). */
  clockSkewMs: number | null = null;

  constructor(o: HubClientOptions) {
    this.url = trimUrl(o.url);
    this.deviceId = o.deviceId;
    this.secretKey = o.signSecretKey;
    this.fetchFn = o.fetch ?? fetch;
    this.now = o.now ?? Date.now;
    this.timeoutMs = o.timeoutMs ?? 30_000;
    this.joined = o.joined ?? true;
  }

  /** GET /health (no authentication): the hub's protocol version and time. */
  health(): Promise<z.infer<typeof healthResponse>> {
    return this.json(healthResponse, { method: 'GET', path: '/health', auth: false, what: 'état du hub' });
  }

  /**
   * POST /associations: registers the association (its root key) and this device, certified by the root. Idempotent.
   * `registrationSecret`: the hub operator's secret, required by some hubs to register a new association.
   */
  register(req: RegisterRequest, registrationSecret?: string): Promise<z.infer<typeof registerResponse>> {
    const headers = registrationSecret ? { [REGISTRATION_SECRET_HEADER]: registrationSecret } : undefined;
    return this.json(registerResponse, { method: 'POST', path: '/associations', json: req, auth: true, what: 'inscription', ...(headers ? { headers } : {}) });
  }

  /** POST /push: at most MAX_PUSH_ENVELOPES envelopes; one `accepted` entry per envelope, duplicates flagged. */
  push(envelopes: Envelope[]): Promise<z.infer<typeof pushResponse>> {
    return this.json(pushResponse, { method: 'POST', path: '/push', json: { envelopes }, auth: true, what: 'envoi' });
  }

  /** GET /pull: the next page after cursor `after`; continue with `next` while `more`. */
  pull(after: number, limit?: number): Promise<z.infer<typeof pullResponse>> {
    const query = `after=${after}${limit === undefined ? '' : `&limit=${limit}`}`;
    return this.json(pullResponse, { method: 'GET', path: `/pull?${query}`, auth: true, what: 'réception' });
  }

  /** PUT /audience: the group and user ids whose narrower scopes this device receives. */
  setAudience(ids: string[]): Promise<{ serverTime: number }> {
    return this.json(timeOnly, { method: 'PUT', path: '/audience', json: { audience: ids }, auth: true, what: 'audience' });
  }

  /** GET /devices: the association's devices (revoked ones included, with revokedAt). */
  devices(): Promise<z.infer<typeof devicesResponse>> {
    return this.json(devicesResponse, { method: 'GET', path: '/devices', auth: true, what: 'liste des postes' });
  }

  /** POST /invites: deposits a pairing invitation (sealed payload, new device certified by the root). */
  invite(req: InviteRequest): Promise<z.infer<typeof inviteResponse>> {
    return this.json(inviteResponse, { method: 'POST', path: '/invites', json: req, auth: true, what: 'invitation' });
  }

  /** POST /devices/revoke: `signature` is the root key's over revokeMessage(associationId, deviceId), base64url. */
  revoke(deviceId: string, signature: string): Promise<{ serverTime: number }> {
    return this.json(timeOnly, { method: 'POST', path: '/devices/revoke', json: { deviceId, signature }, auth: true, what: 'retrait de poste' });
  }

  /** PUT /audit-anchor: sends the head of this device's audit chain (signed); answers the highest the hub holds. */
  putAuditAnchor(anchor: AuditAnchor): Promise<z.infer<typeof auditAnchorResponse>> {
    return this.json(auditAnchorResponse, { method: 'PUT', path: '/audit-anchor', json: anchor, auth: true, what: 'ancre du journal' });
  }

  /** GET /audit-anchor: the highest audit anchor the hub holds for this device (null before the first). */
  getAuditAnchor(): Promise<z.infer<typeof auditAnchorResponse>> {
    return this.json(auditAnchorResponse, { method: 'GET', path: '/audit-anchor', auth: true, what: 'ancre du journal' });
  }

  /** HEAD /blobs/:name: stored (size), or how many bytes of this device's upload the hub holds. */
  async blobStatus(name: string): Promise<BlobStatus> {
    const res = await this.send({ method: 'HEAD', path: `/blobs/${name}`, auth: true, what: 'état de pièce', accept: [404] });
    if (res.status === 200) return { stored: true, size: this.sizeHeader(res, 'x-blob-size') };
    return { stored: false, uploaded: this.sizeHeader(res, 'x-uploaded-bytes') };
  }

  /**
   * PUT /blobs/:name?offset=N: appends ≤ BLOB_CHUNK_BYTES at `offset`. When the hub holds a different amount, fails
   * with HUB_REFUSED and `details.uploadedBytes` (resume from there).
   */
  putBlobChunk(name: string, offset: number, bytes: Uint8Array): Promise<z.infer<typeof blobPut>> {
    return this.json(blobPut, { method: 'PUT', path: `/blobs/${name}?offset=${offset}`, bytes, auth: true, what: 'envoi de pièce' });
  }

  /** POST /blobs/:name/complete: the hub checks SHA-256 = name (HUB_REFUSED with hubCode BLOB_MISMATCH otherwise). */
  completeBlob(name: string): Promise<z.infer<typeof blobDone>> {
    return this.json(blobDone, { method: 'POST', path: `/blobs/${name}/complete`, auth: true, what: 'fin d’envoi de pièce' });
  }

  /** DELETE /blobs/:name: an erased paper's blob leaves the hub (docs/erasure.md). 404 (never there, or an older hub): gone. */
  async deleteBlob(name: string): Promise<void> {
    const res = await this.send({ method: 'DELETE', path: `/blobs/${name}`, auth: true, what: 'effacement de pièce', accept: [404] });
    await res.arrayBuffer().catch(() => undefined);
  }

  /** GET /blobs/:name from byte `fromOffset` to the end (`Range: bytes=N-`). Empty when fromOffset is the size. */
  async getBlob(name: string, fromOffset = 0): Promise<Uint8Array> {
    const headers: Record<string, string> = fromOffset > 0 ? { range: `bytes=${fromOffset}-` } : {};
    const res = await this.send({ method: 'GET', path: `/blobs/${name}`, headers, auth: true, what: 'réception de pièce', accept: [416] });
    if (res.status === 416) {
      if (res.headers.get('content-range') === `bytes */${fromOffset}`) return new Uint8Array(0);
      throw new AppError('SYNC_REJECTED', `Le hub ${this.url} n'a pas la pièce au-delà de l'octet ${fromOffset}.`);
    }
    const expectRange = fromOffset > 0;
    const range = res.headers.get('content-range');
    if (expectRange && (res.status !== 206 || !range?.startsWith(`bytes ${fromOffset}-`))) {
      throw new AppError('SYNC_REJECTED', `Réponse du hub illisible (réception de pièce) : la plage demandée à partir de l'octet ${fromOffset} n'a pas été servie.`);
    }
    try {
      const bytes = await readBytes(res, Math.max(0, MAX_BLOB_BYTES - fromOffset));
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (e) {
      if (e instanceof AnswerTooLarge) throw new AppError('SYNC_REJECTED', `Pièce reçue du hub trop volumineuse (plus de ${MAX_BLOB_BYTES / (1024 * 1024)} Mo) : lecture arrêtée.`);
      throw this.bodyFailure(e, 'réception de pièce');
    }
  }

  /** POST /invites/redeem (no authentication: the new device has no registered key yet). */
  static redeemInvite(url: string, req: RedeemRequest, fetchFn?: typeof fetch): Promise<z.infer<typeof redeemResponse>> {
    const client = new HubClient({ url, deviceId: '', signSecretKey: new Uint8Array(0), joined: false, ...(fetchFn ? { fetch: fetchFn } : {}) });
    return client.json(redeemResponse, { method: 'POST', path: '/invites/redeem', json: req, auth: false, what: "code d'invitation" });
  }

  // ───────────────────────────── plumbing ─────────────────────────────

  private async json<T>(schema: ZodType<T>, call: Call): Promise<T> {
    const res = await this.send(call);
    let text: string;
    try {
      text = await readText(res, MAX_ANSWER_BYTES);
    } catch (e) {
      if (e instanceof AnswerTooLarge) {
        throw new AppError('SYNC_REJECTED', `Réponse du hub trop volumineuse (${call.what}) : plus de ${MAX_ANSWER_BYTES / (1024 * 1024)} Mo, lecture arrêtée. Rien n'a été appliqué.`);
      }
      throw this.bodyFailure(e, call.what);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new AppError('SYNC_REJECTED', `Réponse du hub illisible (${call.what}) : JSON tronqué ou invalide (${text.length} caractères reçus). Rien n'a été appliqué.`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(racine)';
      throw new AppError('SYNC_REJECTED', `Réponse du hub illisible (${call.what}) : champ « ${field} » ${issue?.message ?? 'invalide'}. Rien n'a été appliqué.`);
    }
    this.observe((parsed.data as { serverTime?: unknown }).serverTime);
    return parsed.data;
  }

  /** Sends one request (signed when `call.auth`) and fails unless the status is 2xx or listed in `call.accept`. */
  private async send(call: Call): Promise<Response> {
    const path = `${API}${call.path}`;
    let body: Uint8Array | undefined;
    const headers: Record<string, string> = { ...call.headers };
    if (call.json !== undefined) {
      body = Buffer.from(JSON.stringify(call.json), 'utf8');
      headers['content-type'] = 'application/json';
    } else if (call.bytes) {
      body = call.bytes;
      headers['content-type'] = 'application/octet-stream';
    }
    const sentAt = this.now();
    if (call.auth) {
      const time = Math.round(sentAt);
      const hash = createHash('sha256').update(body ?? new Uint8Array(0)).digest();
      const digest = hash.toString('hex');
      // The hub checks the signature from the headers, before reading the body (RFC 9530 Content-Digest).
      if (body) headers[CONTENT_DIGEST_HEADER] = `sha-256=:${hash.toString('base64')}:`;
      headers[AUTH_HEADERS.device] = this.deviceId;
      headers[AUTH_HEADERS.time] = String(time);
      headers[AUTH_HEADERS.signature] = Buffer.from(signDetached(this.secretKey, authMessage(call.method, path, time, digest))).toString('base64url');
    }
    let res: Response;
    try {
      res = await this.fetchFn(`${this.url}${path}`, {
        method: call.method,
        headers,
        ...(body ? { body: body as Uint8Array<ArrayBuffer> } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw this.unreachable(e);
    }
    if (res.ok || call.accept?.includes(res.status)) return res;
    throw await this.refusal(res, call, sentAt);
  }

  private unreachable(e: unknown): AppError {
    const timeout = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
    const why = timeout ? `pas de réponse en ${Math.round(this.timeoutMs / 1000)} s` : 'connexion impossible';
    if (!this.joined) {
      return new AppError('HUB_UNREACHABLE', `Le hub ${this.url} est injoignable (${why}) : vérifiez son adresse et que ce poste est sur le même réseau, puis réessayez.`);
    }
    return new AppError('HUB_UNREACHABLE', `Le hub ${this.url} est injoignable (${why}) : le travail continue sur ce poste, la synchronisation reprendra plus tard.`);
  }

  /** A body that stopped arriving: a timeout is the network's fault, a cut answer is refused as truncated. */
  private bodyFailure(e: unknown, what: string): AppError {
    if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return this.unreachable(e);
    return new AppError('SYNC_REJECTED', `Réponse du hub interrompue (${what}) : rien n'a été appliqué, nouvel essai à la prochaine synchronisation.`);
  }

  /** Turns a hub error answer into the AppError the app shows. */
  private async refusal(res: Response, call: Call, sentAt: number): Promise<AppError> {
    const text = call.method === 'HEAD' ? '' : await readText(res, MAX_ERROR_BYTES).catch(() => '');
    let body: z.infer<typeof hubError> | null = null;
    try {
      const parsed = hubError.safeParse(JSON.parse(text));
      if (parsed.success) body = parsed.data;
    } catch {
      // not JSON: handled below
    }
    const code = body?.error.code ?? res.headers.get('x-solidariciel-error') ?? null;
    const serverTime = body?.error.serverTime;
    if (serverTime !== undefined) this.observe(serverTime);
    const details: Record<string, unknown> = { hubCode: code, status: res.status };
    const uploaded = res.headers.get('x-uploaded-bytes');
    if (uploaded !== null && /^\d+$/.test(uploaded)) details['uploadedBytes'] = Number(uploaded);
    if (code === 'CLOCK_SKEW') {
      const skew = serverTime !== undefined ? sentAt - serverTime : null;
      details['skewMs'] = skew;
      const minutes = skew !== null ? Math.max(1, Math.round(Math.abs(skew) / 60_000)) : null;
      return new AppError(
        'CLOCK_SKEW',
        minutes !== null
          ? `L'horloge de ce poste a ${minutes} minute${minutes > 1 ? 's' : ''} d'écart avec le hub : corrigez l'heure de Windows (Paramètres › Heure et langue › Régler l'heure automatiquement), puis relancez la synchronisation.`
          : `L'horloge de ce poste est trop éloignée de celle du hub : corrigez l'heure de Windows, puis relancez la synchronisation.`,
        details,
      );
    }
    if (code === 'DEVICE_REVOKED') {
      return new AppError('HUB_REFUSED', "Ce poste a été retiré de l'association : il ne synchronise plus. Un administrateur peut l'inviter de nouveau avec un code d'invitation.", details);
    }
    if (code === 'INVITE_INVALID' || code === 'INVITE_EXPIRED' || code === 'INVITE_USED' || code === 'INVITE_LOCKED') {
      return new AppError('INVITE_INVALID', body?.error.message ?? "Code d'invitation refusé par le hub.", details);
    }
    if (body) return new AppError('HUB_REFUSED', `Le hub a refusé la demande (${call.what}) : ${body.error.message}`, details);
    return new AppError('HUB_REFUSED', `Le hub ${this.url} a répondu HTTP ${res.status} sans message lisible (${call.what}).`, details);
  }

  private sizeHeader(res: Response, name: string): number {
    const parsed = sizeHeader.safeParse(res.headers.get(name));
    if (!parsed.success) throw new AppError('SYNC_REJECTED', `Réponse du hub illisible (état de pièce) : en-tête ${name} absent ou invalide.`);
    return parsed.data;
  }

  private observe(serverTime: unknown): void {
    if (typeof serverTime !== 'number' || !Number.isFinite(serverTime)) return;
    this.lastServerTime = serverTime;
    this.clockSkewMs = this.now() - serverTime;
  }
}
