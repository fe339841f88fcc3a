/**
 * Routes scanner ids to the driver of their kind (docs/scanning.md "Sources"). An id is `kind:rest` with kind `escl`,
 * `sane` or `wia`; the rest is the driver's business (an URL, a SANE device name, a WIA device id).
 */
import { AppError } from '../../shared/domain/errors';
import { SCANNER_KINDS, type Scanner, type ScannerCapabilities, type ScannerKind } from '../../shared/domain/scan';
import type { ScannedImage, ScannerDriver, ScanOptions } from './types';

/** Splits `kind:rest`; throws VALIDATION (French, naming the id) when the kind is unknown or the rest empty. */
export function parseScannerId(id: string): { kind: ScannerKind; rest: string } {
  const colon = id.indexOf(':');
  const kind = colon > 0 ? id.slice(0, colon) : '';
  const rest = colon > 0 ? id.slice(colon + 1) : '';
  if (!(SCANNER_KINDS as readonly string[]).includes(kind) || rest.length === 0) {
    throw new AppError('VALIDATION', `Identifiant de scanner incompréhensible : « ${id.slice(0, 80)} » (attendu escl:URL, sane:APPAREIL ou wia:ID).`, { field: 'scannerId' });
  }
  return { kind: kind as ScannerKind, rest };
}

export class ScannerRegistry {
  private readonly drivers = new Map<ScannerKind, ScannerDriver>();

  constructor(drivers: ScannerDriver[]) {
    for (const d of drivers) this.drivers.set(d.kind, d);
  }

  /** The driver of `id`'s kind; UNSUPPORTED (French) when this PC has none (e.g. WIA off Windows). */
  driverOf(id: string): ScannerDriver {
    const { kind } = parseScannerId(id);
    const driver = this.drivers.get(kind);
    if (!driver) throw new AppError('UNSUPPORTED', `Les scanners « ${kind} » ne sont pas pris en charge sur ce poste.`);
    return driver;
  }

  /** Every driver's scanners, in driver order; a driver that fails to list is skipped (its scanners are absent). */
  async list(refresh = false): Promise<Scanner[]> {
    const lists = await Promise.all([...this.drivers.values()].map((d) => d.list(refresh).catch(() => [] as Scanner[])));
    const seen = new Set<string>();
    return lists.flat().filter((s) => (seen.has(s.id) ? false : (seen.add(s.id), true)));
  }

  capabilities(id: string): Promise<ScannerCapabilities> {
    return this.driverOf(id).capabilities(id);
  }

  scan(id: string, options: ScanOptions, signal: AbortSignal): AsyncIterable<ScannedImage> {
    return this.driverOf(id).scan(id, options, signal);
  }

  /** Remembers an address typed by hand (eSCL). */
  add(address: string): Promise<Scanner> {
    const escl = this.drivers.get('escl');
    if (!escl?.add) throw new AppError('UNSUPPORTED', 'Ajouter un scanner par son adresse n’est pas possible sur ce poste.');
    return escl.add(address);
  }

  async forget(id: string): Promise<void> {
    await this.driverOf(id).forget?.(id);
  }
}
