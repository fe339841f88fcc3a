/**
 * Finds eSCL scanners on the local network by mDNS / DNS-SD (RFC 6762, RFC 6763): services `_uscan._tcp` (HTTP) and
 * `_uscans._tcp` (HTTPS), with the TXT keys of the Mopria eSCL spec ("Bonjour TXT record": `rs` the resource path,
 * `ty` the make and model, `is` the inputs `platen`/`adf`/`camera`, `duplex` T/F). Browsing uses bonjour-service.
 * See docs/scanning.md "eSCL".
 */
import { Bonjour, type Service } from 'bonjour-service';
import type { Scanner, ScanSource } from '../../../shared/domain/scan';

/** A service as DNS-SD reports it (the fields we read), for tests that craft one. */
export interface UscanService {
  name: string;
  type: string;
  host?: string;
  port: number;
  addresses?: string[];
  referer?: { address: string };
  txt?: Record<string, unknown>;
}

const txtOf = (txt: Record<string, unknown> | undefined, key: string): string => {
  const v = txt?.[key] ?? txt?.[key.toUpperCase()];
  return typeof v === 'string' ? v : v instanceof Uint8Array ? new TextDecoder().decode(v) : v === undefined ? '' : String(v);
};

/**
 * The scanner a `_uscan(s)._tcp` service stands for: `escl:http(s)://ADDRESS:PORT/RS`. An IPv4 address is preferred
 * over the `.local` host name (Windows resolves `.local` names only with Bonjour installed); IPv6 goes in brackets.
 * Returns null when the service has no usable address.
 */
export function scannerFromService(s: UscanService): Scanner | null {
  const secure = /uscans/.test(s.type);
  const addresses = [...(s.addresses ?? []), ...(s.referer ? [s.referer.address] : [])];
  const v4 = addresses.find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a));
  const v6 = addresses.find((a) => a.includes(':') && !a.toLowerCase().startsWith('fe80'));
  const host = v4 ?? (v6 ? `[${v6}]` : s.host?.replace(/\.$/, ''));
  if (!host || !Number.isInteger(s.port) || s.port <= 0 || s.port > 65535) return null;
  const rs = txtOf(s.txt, 'rs').replace(/^\/+|\/+$/g, '') || 'eSCL';
  const inputs = txtOf(s.txt, 'is').toLowerCase();
  const sources: ScanSource[] = [];
  if (!inputs || inputs.includes('platen')) sources.push('platen');
  if (inputs.includes('adf')) sources.push('feeder');
  if (inputs.includes('adf') && /^t/i.test(txtOf(s.txt, 'duplex'))) sources.push('duplex');
  const defaultPort = secure ? 443 : 80;
  const url = `${secure ? 'https' : 'http'}://${host}${s.port === defaultPort ? '' : `:${s.port}`}/${rs}`;
  const name = (txtOf(s.txt, 'ty') || s.name || host).slice(0, 300);
  return { id: `escl:${url}`, name, kind: 'escl', sources };
}

/**
 * Browses `_uscan._tcp` and `_uscans._tcp` for `timeoutMs` and returns the scanners seen (one per id; the HTTP one
 * when a scanner offers both). `interfaceAddress` picks the network interface (tests: a network namespace's `lo`).
 * Never throws: an mDNS socket that cannot open gives an empty list.
 */
export function browseEscl(timeoutMs = 2500, interfaceAddress?: string): Promise<Scanner[]> {
  return new Promise((resolve) => {
    const found = new Map<string, Scanner>();
    let bonjour: Bonjour;
    try {
      bonjour = new Bonjour(interfaceAddress ? ({ interface: interfaceAddress } as object) : {}, () => undefined);
    } catch {
      resolve([]);
      return;
    }
    const seen = (service: Service) => {
      const scanner = scannerFromService(service as unknown as UscanService);
      if (!scanner) return;
      const key = `${scanner.name}|${scanner.id.replace(/^escl:https?/, '')}`;
      if (!found.has(key) || scanner.id.startsWith('escl:http:')) found.set(key, scanner);
    };
    const browsers = ['uscan', 'uscans'].map((type) => {
      try {
        return bonjour.find({ type, protocol: 'tcp' }, seen);
      } catch {
        return null;
      }
    });
    setTimeout(() => {
      for (const b of browsers) b?.stop();
      try {
        bonjour.destroy();
      } catch {
        // already closed
      }
      resolve([...found.values()]);
    }, timeoutMs).unref?.();
  });
}
