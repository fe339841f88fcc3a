/**
 * RFC 3161 time-stamps on deposit receipts (docs/deposit-receipt.md "Time-stamp"), against a time-stamping
 * authority run by `openssl ts -reply` behind a tiny HTTP server on 127.0.0.1, with a CA and a TSA certificate
 * generated here. The token in the receipt is checked by `openssl ts -verify` (a client no one here wrote) against the
 * receipt's digest, and by the app; an answer that is not RFC 3161, a token for another digest (a hostile TSA) and an
 * unreachable TSA each give a receipt without token and a French message. Needs `openssl`
 * (Debian package openssl): the test fails, saying so, when it is missing.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, newTestCore, tempDir, type TestCore } from '../helpers/core';
import { openReceipt } from '../../main/services/papers/receiptFile';

const run = promisify(execFile);

function openssl(args: string[], cwd: string): string {
  try {
    return execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('openssl est absent : installez le paquet Debian « openssl » (le test de l’horodatage RFC 3161 en a besoin).');
    throw e;
  }
}

const TS_CONFIG = `
[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
dir = .
serial = ./tsaserial
crypto_device = builtin
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;

describe('RFC 3161 time-stamp on a deposit receipt (openssl ts on 127.0.0.1)', () => {
  let t: TestCore;
  let dir: string;
  let server: Server;
  let url: string;
  let requests = 0;
  let mode: 'ok' | 'garbage' | 'otherDigest' = 'ok';
  let personId: string;
  let docId: string;

  beforeAll(async () => {
    dir = tempDir('solidariciel-tsa-');
    openssl(['version'], dir);
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=Solidariciel Test CA', '-days', '2', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
    openssl(['req', ...ec, '-keyout', 'tsa.key', '-out', 'tsa.csr', '-subj', '/CN=Solidariciel Test TSA'], dir);
    writeFileSync(join(dir, 'ext.cnf'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n');
    openssl(['x509', '-req', '-in', 'tsa.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'tsa.crt', '-days', '2', '-extfile', 'ext.cnf'], dir);
    writeFileSync(join(dir, 'ts.cnf'), TS_CONFIG);
    writeFileSync(join(dir, 'tsaserial'), '01\n');
    server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        requests++;
        const n = requests;
        writeFileSync(join(dir, `q${n}.tsq`), Buffer.concat(parts));
        if (mode === 'garbage') {
          res.writeHead(200, { 'content-type': 'application/timestamp-reply' });
          res.end(Buffer.from('<html>portail captif</html>'));
          return;
        }
        // A hostile TSA: a genuine token, for another digest than the one asked.
        if (mode === 'otherDigest') openssl(['ts', '-query', '-digest', 'ab'.repeat(32), '-sha256', '-cert', '-out', `q${n}.tsq`], dir);
        run('openssl', ['ts', '-reply', '-config', 'ts.cnf', '-queryfile', `q${n}.tsq`, '-inkey', 'tsa.key', '-signer', 'tsa.crt', '-out', `r${n}.tsr`], { cwd: dir })
          .then(() => {
            res.writeHead(200, { 'content-type': 'application/timestamp-reply' });
            res.end(readFileSync(join(dir, `r${n}.tsr`)));
          })
          .catch(() => {
            res.writeHead(500);
            res.end();
          });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`;
    t = await newTestCore();
    personId = (await t.call('people:create', { person: { firstName: 'Aminata', lastName: 'Traoré' } })).id;
    docId = (await t.call('vault:addDocument', { personId, meta: { type: 'passeport' }, files: [{ name: 'p.png', bytes: fixture('scans', 'carte-identite-specimen.png') }] })).id;
  }, 60_000);

  afterAll(async () => {
    await t.cleanup();
    await new Promise((resolve) => server.close(resolve));
  });

  it('embeds a token that openssl ts -verify accepts for the receipt digest, and the app verifies', async () => {
    expect(await t.call('papers:saveSettings', { reminderDays: 60, tsaUrl: url })).toEqual({ reminderDays: 60, tsaUrl: url });
    const before = Date.now();
    const r = await t.call('deposits:issue', { personId, documentIds: [docId] });
    expect(requests).toBe(1);
    expect(r.timestamp?.error).toBeNull();
    expect(Math.abs(Date.parse(r.timestamp!.genTime!) - before)).toBeLessThan(60_000);
    const opened = openReceipt(r.pdf);
    if (typeof opened === 'string') throw new Error(opened);
    expect(opened.token).not.toBeNull();
    writeFileSync(join(dir, 'token.der'), opened.token!);
    const digest = Buffer.from(opened.digest).toString('hex');
    const ok = openssl(['ts', '-verify', '-digest', digest, '-token_in', '-in', 'token.der', '-CAfile', 'ca.crt', '-untrusted', 'tsa.crt'], dir);
    expect(ok).toContain('Verification: OK');
    // Another digest: openssl refuses the same token.
    const wrong = digest.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect(() => openssl(['ts', '-verify', '-digest', wrong, '-token_in', '-in', 'token.der', '-CAfile', 'ca.crt', '-untrusted', 'tsa.crt'], dir)).toThrow();
    const v = await t.call('deposits:verify', { pdf: r.pdf });
    expect(v).toMatchObject({ ok: true, reason: null, timestamp: { genTime: r.timestamp!.genTime } });
    // A byte of the token flipped: the signature covers the token.
    const text = Buffer.from(r.pdf).toString('latin1');
    const bad = new Uint8Array(r.pdf);
    const p = text.indexOf('/SolidaricielTimestamp <') + 60;
    bad[p] = bad[p]! === 0x30 ? 0x31 : 0x30;
    expect((await t.call('deposits:verify', { pdf: bad })).ok).toBe(false);
  });

  it('refuses an answer that is not RFC 3161, or a token for another digest, and issues the receipt without it', async () => {
    await t.call('papers:saveSettings', { reminderDays: 60, tsaUrl: url });
    mode = 'garbage';
    const garbage = await t.call('deposits:issue', { personId, documentIds: [docId] });
    expect(garbage.timestamp).toEqual({ genTime: null, error: "La réponse de l'autorité d'horodatage est illisible (RFC 3161 attendu)." });
    mode = 'otherDigest';
    const other = await t.call('deposits:issue', { personId, documentIds: [docId] });
    expect(other.timestamp).toEqual({ genTime: null, error: "L'autorité d'horodatage a horodaté une autre empreinte : jeton refusé." });
    expect(openReceipt(other.pdf)).toMatchObject({ token: null });
    expect((await t.call('deposits:verify', { pdf: other.pdf })).ok).toBe(true);
    mode = 'ok';
  });

  it('issues the receipt without a token when the TSA cannot be reached, and says so', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await t.call('papers:saveSettings', { reminderDays: 60, tsaUrl: `http://127.0.0.1:${port}/tsa` });
    const r = await t.call('deposits:issue', { personId, documentIds: [docId] });
    expect(r.timestamp).toEqual({ genTime: null, error: expect.stringContaining("L'autorité d'horodatage est injoignable") });
    const v = await t.call('deposits:verify', { pdf: r.pdf });
    expect(v).toMatchObject({ ok: true, timestamp: null });
  });
});
