/**
 * An eSCL client over HTTP (Mopria eSCL 2.x; the same steps as sane-airscan and NAPS2): `GET ScannerCapabilities`,
 * `GET ScannerStatus`, `POST ScanJobs` (201 + Location), `GET {job}/NextDocument` until 404, `DELETE {job}` to cancel.
 * A busy answer (503) is retried with a back-off; everything the person can act on becomes a ScanFailure with a French
 * message (docs/scanning.md "eSCL").
 *
 * HTTPS scanners (`_uscans._tcp`) carry self-signed certificates as a rule: their certificate is not checked, as
 * sane-airscan and NAPS2 do not check it either (the page stays on the office's network; see docs/scanning.md).
 */
import { Agent, request, type Dispatcher } from 'undici';
import { scanFailure, ScanFailure, type ScannedImage } from '../types';
import { parseCapabilities, parseStatus, type EsclCapabilities, type EsclStatus } from './xml';

export interface EsclClientOptions {
  /** Waits between tries after a 503 (ms); default 0.5, 1, 2, 4, 4, 4, 4 s (about 20 s in all). */
  retryDelaysMs?: number[];
  /** Time allowed for one answer's headers (ms); a page may take long to scan. Default 60 s. */
  timeoutMs?: number;
}

const DEFAULT_DELAYS = [500, 1000, 2000, 4000, 4000, 4000, 4000];
const insecure = new Agent({ connect: { rejectUnauthorized: false } });

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_SOCKET', 'EPIPE']);

/** The failure a scanner's status explains (feeder empty, jam, cover open, busy), or null. */
export function failureFromStatus(status: EsclStatus, feeder: boolean): ScanFailure | null {
  const adf = status.adfState ?? '';
  if (/Jam|Misfeed|Multipick/i.test(adf)) return scanFailure('jam');
  if (/DoorOpen|HatchOpen|CoverOpen/i.test(adf)) return scanFailure('coverOpen');
  if (feeder && /Empty/i.test(adf)) return scanFailure('feederEmpty');
  if (adf) return null;
  // No feeder state (some scanners omit it): the newest job's reasons may say what stopped it.
  const reasons = status.jobs[0]?.reasons.join(' ') ?? '';
  if (feeder && /Jam/i.test(reasons)) return scanFailure('jam');
  if (/CoverOpen|DoorOpen/i.test(reasons)) return scanFailure('coverOpen');
  if (feeder && /AdfEmpty|MediaEmpty|InputEmpty/i.test(reasons)) return scanFailure('feederEmpty');
  return null;
}

export class EsclClient {
  readonly base: string;
  private readonly delays: number[];
  private readonly timeoutMs: number;
  private readonly dispatcher: Dispatcher | undefined;

  /** `base` is the eSCL root, e.g. `http://192.168.1.20/eSCL` (no trailing slash needed). */
  constructor(base: string, options: EsclClientOptions = {}) {
    this.base = base.replace(/\/+$/, '');
    this.delays = options.retryDelaysMs ?? DEFAULT_DELAYS;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.dispatcher = this.base.startsWith('https:') ? insecure : undefined;
  }

  /**
   * One HTTP exchange, 503 retried after each delay. Network failures throw `unreachable`; a 503 through every try,
   * `busy`. Other statuses are returned for the caller to judge. An aborted `signal` throws its reason.
   */
  private async call(method: 'GET' | 'POST' | 'DELETE', url: string, signal?: AbortSignal, body?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Uint8Array }> {
    for (let attempt = 0; ; attempt++) {
      let res: Dispatcher.ResponseData;
      try {
        res = await request(url, {
          method,
          signal,
          dispatcher: this.dispatcher,
          headers: body ? { 'content-type': 'text/xml; charset=utf-8' } : {},
          body,
          headersTimeout: this.timeoutMs,
          bodyTimeout: this.timeoutMs,
        });
      } catch (e) {
        if (signal?.aborted) throw e;
        const code = (e as { code?: string }).code ?? '';
        if (NETWORK_CODES.has(code) || e instanceof TypeError) throw scanFailure('unreachable');
        throw scanFailure('unreachable');
      }
      const bytes = new Uint8Array(await res.body.arrayBuffer());
      if (res.statusCode !== 503) return { status: res.statusCode, headers: res.headers, body: bytes };
      if (attempt >= this.delays.length) throw scanFailure('busy');
      await sleep(this.delays[attempt]!, signal);
      if (signal?.aborted) throw signal.reason;
    }
  }

  private url(path: string): string {
    return `${this.base}/${path}`;
  }

  private async xml(path: string, signal?: AbortSignal): Promise<string> {
    const r = await this.call('GET', this.url(path), signal);
    if (r.status !== 200) throw scanFailure('other', `Le scanner a refusé de décrire ses possibilités (réponse HTTP ${r.status}). Vérifiez l'adresse saisie (elle finit souvent par /eSCL).`);
    return new TextDecoder().decode(r.body);
  }

  /** `GET ScannerCapabilities`; a body that is not eSCL XML is `other`, naming the address. */
  async capabilities(signal?: AbortSignal): Promise<EsclCapabilities> {
    const xml = await this.xml('ScannerCapabilities', signal);
    try {
      return parseCapabilities(xml);
    } catch {
      throw scanFailure('other', `L'appareil à l'adresse ${this.base} ne répond pas comme un scanner eSCL (AirScan). Vérifiez l'adresse.`);
    }
  }

  async status(signal?: AbortSignal): Promise<EsclStatus> {
    const xml = await this.xml('ScannerStatus', signal);
    try {
      return parseStatus(xml);
    } catch {
      throw scanFailure('other', "Le scanner a envoyé un état illisible. Redémarrez-le, puis réessayez.");
    }
  }

  /**
   * `POST ScanJobs` with `settings`; returns the job's absolute URL (from Location). A 409 (conflict) is explained by
   * the scanner's status (feeder empty, jam, cover open) or is `busy`.
   */
  async createJob(settings: string, feeder: boolean, signal?: AbortSignal): Promise<string> {
    const r = await this.call('POST', this.url('ScanJobs'), signal, settings);
    if (r.status === 201 || r.status === 200) {
      const location = r.headers.location;
      const loc = Array.isArray(location) ? location[0] : location;
      if (!loc) throw scanFailure('other', "Le scanner a accepté la numérisation sans dire où la lire. Redémarrez-le, puis réessayez.");
      return new URL(loc, `${this.base}/`).toString().replace(/\/+$/, '');
    }
    if (r.status === 409 || r.status === 500) {
      const why = await this.status(signal).then((s) => failureFromStatus(s, feeder)).catch(() => null);
      throw why ?? (r.status === 409 ? scanFailure('busy') : scanFailure('other'));
    }
    throw scanFailure('other', `Le scanner a refusé ces réglages (réponse HTTP ${r.status}). Essayez une autre résolution ou un autre mode de couleur.`);
  }

  /** `GET {job}/NextDocument`: the next page, or null when the job has no more (404). */
  async nextDocument(job: string, signal?: AbortSignal): Promise<ScannedImage | null> {
    const r = await this.call('GET', `${job}/NextDocument`, signal);
    if (r.status === 404 || r.status === 410) return null;
    if (r.status !== 200) {
      const why = await this.status(signal).then((st) => failureFromStatus(st, true)).catch(() => null);
      if (why) throw why;
    }
    if (r.status !== 200) throw scanFailure('other', `Le scanner n'a pas envoyé la page (réponse HTTP ${r.status}). Vérifiez son écran, puis relancez.`);
    const type = r.headers['content-type'];
    const mime = (Array.isArray(type) ? type[0] : type)?.split(';')[0]?.trim().toLowerCase() || 'application/octet-stream';
    return { bytes: r.body, mime };
  }

  /** `DELETE {job}`: cancels the job on the scanner. Never throws (the scanner may already have dropped it). */
  async cancel(job: string): Promise<void> {
    const signal = AbortSignal.timeout(5000);
    await request(job, { method: 'DELETE', dispatcher: this.dispatcher, signal })
      .then((r) => r.body.dump())
      .catch(() => undefined);
  }
}
