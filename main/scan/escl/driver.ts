/**
 * The eSCL driver (AirScan / Mopria network scanners; docs/scanning.md "eSCL"): scanners found by mDNS plus the
 * addresses typed by hand, which are remembered on this PC in the device preferences (key `scan.esclScanners`: URL,
 * name and sources only — never in the association's database, never a page). A scan follows the order of
 * sane-airscan and NAPS2: status, `POST ScanJobs`, `NextDocument` until 404, `DELETE` on cancel or failure.
 */
import type { Preferences } from '../../core/ports';
import { scanner as scannerSchema, type Scanner, type ScannerCapabilities } from '../../../shared/domain/scan';
import { scanFailure, type ScannedImage, type ScannerDriver, type ScanOptions } from '../types';
import { esclRoot } from './address';
import { EsclClient, failureFromStatus, type EsclClientOptions } from './client';
import { browseEscl } from './discovery';
import { buildScanSettings, type EsclCapabilities } from './xml';

export const ESCL_PREFS_KEY = 'scan.esclScanners';

export interface EsclDriverOptions {
  prefs: Preferences;
  /** Browses the network (default: mDNS for 2.5 s). */
  discover?: () => Promise<Scanner[]>;
  client?: EsclClientOptions;
  /** How long a browse answer is reused without `refresh` (ms, default 60 s). */
  cacheMs?: number;
}

/** The format asked: JPEG (PNG for black and white when offered: a 1-bit page stays sharp), else PNG. */
export function pickFormat(caps: Pick<EsclCapabilities, 'formats'>, options: ScanOptions): string {
  if (options.mode === 'bw' && caps.formats.has('image/png')) return 'image/png';
  if (caps.formats.has('image/jpeg') || caps.formats.size === 0) return 'image/jpeg';
  if (caps.formats.has('image/png')) return 'image/png';
  return 'image/jpeg';
}

export class EsclDriver implements ScannerDriver {
  readonly kind = 'escl' as const;
  private found: { at: number; items: Scanner[] } | null = null;

  constructor(private readonly options: EsclDriverOptions) {}

  /** The scanners typed by hand on this PC (malformed entries are dropped). */
  remembered(): Scanner[] {
    const raw = this.options.prefs.get(ESCL_PREFS_KEY);
    if (!Array.isArray(raw)) return [];
    return raw.flatMap((r) => {
      const parsed = scannerSchema.safeParse(r);
      return parsed.success && parsed.data.kind === 'escl' ? [parsed.data] : [];
    });
  }

  async list(refresh = false): Promise<Scanner[]> {
    const cacheMs = this.options.cacheMs ?? 60_000;
    if (refresh || !this.found || Date.now() - this.found.at > cacheMs) {
      const items = await (this.options.discover ?? (() => browseEscl()))().catch(() => [] as Scanner[]);
      this.found = { at: Date.now(), items };
    }
    const mine = this.remembered();
    const ids = new Set(mine.map((s) => s.id));
    return [...mine, ...this.found.items.filter((s) => !ids.has(s.id))];
  }

  private client(id: string): EsclClient {
    return new EsclClient(esclRoot(id), this.options.client);
  }

  /** Checks the address by reading its capabilities, then remembers it. Throws VALIDATION or ScanFailure (French). */
  async add(address: string): Promise<Scanner> {
    const root = esclRoot(address);
    const caps = await new EsclClient(root, { ...this.options.client, retryDelaysMs: [500, 1000] }).capabilities();
    const name = (caps.makeAndModel || new URL(root).host).slice(0, 300);
    const scanner: Scanner = { id: `escl:${root}`, name, kind: 'escl', sources: caps.sources };
    this.options.prefs.set(ESCL_PREFS_KEY, [...this.remembered().filter((s) => s.id !== scanner.id), scanner]);
    return scanner;
  }

  async forget(id: string): Promise<void> {
    const root = `escl:${esclRoot(id)}`;
    this.options.prefs.set(ESCL_PREFS_KEY, this.remembered().filter((s) => s.id !== id && s.id !== root));
  }

  async capabilities(id: string): Promise<ScannerCapabilities> {
    const { sources, modes, resolutions } = await this.client(id).capabilities();
    return { sources, modes, resolutions };
  }

  /**
   * Scans with `options`: checks the scanner's status (feeder empty, jam, busy), creates the job, reads every page.
   * A page that is not an image (a PDF) fails the job (`other`). Aborting `signal` deletes the job on the scanner.
   */
  async *scan(id: string, options: ScanOptions, signal: AbortSignal): AsyncGenerator<ScannedImage> {
    const client = this.client(id);
    const feeder = options.source !== 'platen';
    const caps = await client.capabilities(signal);
    if (feeder && !caps.sources.includes('feeder')) throw scanFailure('other', "Ce scanner n'a pas de chargeur : posez la page sur la vitre et choisissez « Vitre ».");
    if (!feeder && !caps.sources.includes('platen')) throw scanFailure('other', "Ce scanner n'a pas de vitre : posez les pages dans le chargeur et choisissez « Chargeur ».");
    if (options.duplex && !caps.sources.includes('duplex')) throw scanFailure('other', 'Ce scanner ne numérise pas le recto et le verso : décochez « Recto verso ».');
    const before = await client.status(signal);
    const why = failureFromStatus(before, feeder);
    if (why) throw why;
    const format = pickFormat(caps, options);
    const settings = buildScanSettings(options, format, caps.maxArea[feeder ? 'feeder' : 'platen']);
    const job = await client.createJob(settings, feeder, signal);
    let finished = false;
    try {
      let pages = 0;
      for (;;) {
        let page: ScannedImage | null;
        try {
          page = await client.nextDocument(job, signal);
        } catch (e) {
          if (signal.aborted) return; // cancelled: the job is deleted below, the pages already sent stay
          throw e;
        }
        if (!page) break;
        if (!page.mime.startsWith('image/')) throw scanFailure('other', "Le scanner a envoyé autre chose qu'une image. Redémarrez-le, puis réessayez.");
        pages++;
        yield page;
      }
      // A 404 may also mean the feeder jammed or ran empty before the first page: the status says which.
      const after = await client.status(signal).catch(() => null);
      const failure = after ? failureFromStatus(after, feeder) : null;
      if (failure && (pages === 0 || failure.reason === 'jam')) throw failure;
      if (pages === 0) throw scanFailure(feeder ? 'feederEmpty' : 'other', feeder ? undefined : "Le scanner n'a envoyé aucune page. Vérifiez son écran, puis relancez.");
      finished = true;
    } finally {
      if (!finished) await client.cancel(job);
    }
  }
}
