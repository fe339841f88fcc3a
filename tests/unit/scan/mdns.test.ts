/**
 * eSCL discovery by mDNS / DNS-SD (RFC 6762, RFC 6763; TXT keys of the Mopria eSCL spec). The wire test runs in its own
 * network namespace (`ip netns add`, `lo` up with multicast and a route for 224.0.0.0/4), so that no packet leaves
 * the machine and no printer of the CI's network answers; it needs root (CI runs as root). Where a namespace cannot
 * be made, it runs in the host's own namespace instead (a real network: other scanners may answer, the test looks for
 * its own). The reading of services into scanners is tested on crafted records.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scannerFromService } from '../../../main/scan/escl/discovery';

const run = promisify(execFile);
const tsx = resolve('node_modules/.bin/tsx');
const probe = resolve('tests/helpers/mdnsProbe.ts');

/** Makes a namespace with multicast on `lo`; null when this machine refuses (not root). */
async function namespace(): Promise<string | null> {
  const ns = `escl${randomBytes(4).toString('hex')}`;
  try {
    await run('ip', ['netns', 'add', ns]);
  } catch {
    return null;
  }
  for (const args of [['link', 'set', 'lo', 'up'], ['link', 'set', 'lo', 'multicast', 'on'], ['route', 'add', '224.0.0.0/4', 'dev', 'lo']]) await run('ip', ['netns', 'exec', ns, 'ip', ...args]);
  return ns;
}

describe('eSCL discovery', () => {
  it('finds the test scanner advertised as _uscan._tcp and reads its capabilities', async () => {
    const ns = await namespace();
    try {
      const cmd = ns ? ['ip', ['netns', 'exec', ns, tsx, probe]] : [tsx, [probe]];
      const { stdout } = await run(cmd[0] as string, cmd[1] as string[], { timeout: 60_000 });
      const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as { url: string; items: { id: string; name: string }[]; capabilities: { sources: string[] } | null };
      const port = new URL(out.url).port;
      const mine = out.items.find((s) => s.id.endsWith(`:${port}/eSCL`));
      expect(mine).toMatchObject({ name: 'Imprimante du couloir', kind: 'escl', sources: ['platen', 'feeder', 'duplex'] });
      if (ns) expect(mine!.id).toBe(`escl:${out.url}`);
      expect(out.capabilities?.sources).toEqual(['platen', 'feeder', 'duplex']);
    } finally {
      if (ns) await run('ip', ['netns', 'del', ns]);
    }
  });

  it('reads crafted service records: IPv4 first, IPv6 in brackets, HTTPS, resource path, inputs, duplex', () => {
    expect(scannerFromService({ name: 'HP', type: 'uscan', host: 'hp.local', port: 80, addresses: ['fe80::1', '192.168.1.20'], txt: { rs: 'eSCL', ty: 'HP LaserJet MFP M234', is: 'platen,adf', duplex: 'F' } })).toEqual({
      id: 'escl:http://192.168.1.20/eSCL',
      name: 'HP LaserJet MFP M234',
      kind: 'escl',
      sources: ['platen', 'feeder'],
    });
    expect(scannerFromService({ name: 'Canon', type: 'uscans', port: 443, addresses: ['2001:db8::5'], txt: { rs: '/scanner/eSCL/', is: 'adf', duplex: 'T' } })).toEqual({
      id: 'escl:https://[2001:db8::5]/scanner/eSCL',
      name: 'Canon',
      kind: 'escl',
      sources: ['feeder', 'duplex'],
    });
    expect(scannerFromService({ name: 'Epson', type: 'uscan', host: 'epson.local.', port: 8080, txt: { ty: new TextEncoder().encode('Epson ET-4850') } })).toEqual({
      id: 'escl:http://epson.local:8080/eSCL',
      name: 'Epson ET-4850',
      kind: 'escl',
      sources: ['platen'],
    });
    expect(scannerFromService({ name: 'x', type: 'uscan', port: 80 })).toBeNull();
    expect(scannerFromService({ name: 'x', type: 'uscan', port: 70000, addresses: ['10.0.0.1'] })).toBeNull();
  });
});
