/**
 * The browser host against another local OS user (docs/threat-model.md): anyone on the machine can connect to
 * 127.0.0.1:PORT and read what `GET /` serves. The token must not be obtainable without the one-time code of the
 * URL the host printed to the person who started it, and a request that holds the token still cannot make the host
 * write a decrypted paper or database where it likes (same rule as Electron: docs/electron.md "The IPC path").
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core';
import { MemoryPreferences } from '../../main/core/filePreferences';
import { startHost, type Host } from '../../main/host/server';
import { fakeCore } from '../helpers/fakeCore';
import { fixture, PASSWORD, TEST_KDF } from '../helpers/core';
import { claim, invoke, launchCode, rawRequest } from '../helpers/hostClient';
import { contract, isChannel } from '../../shared/contract';
import { WRITES_CHOSEN_PATH, chosenPathField } from '../../shared/contract/writes';

const INDEX = '<!doctype html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n<title>Solidariciel</title>\n</head>\n<body><div id="root"></div></body>\n</html>\n';
const ID = '0192f5a0-7b1c-7d3e-8f00-123456789abc';

let dir: string;
let staticDir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'solidariciel-host-launch-'));
  staticDir = join(dir, 'static');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), INDEX);
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log("app");\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function prefs(name: string): string {
  return join(dir, `${name}.json`);
}

describe('browser host: what any local process reads without the code', () => {
  let host: Host;
  beforeAll(async () => {
    host = await startHost({ port: 0, staticDir, prefsFile: prefs('read'), core: fakeCore() });
  });
  afterAll(() => host.close());

  it('GET / and every page, asset or unknown path serve no token, in the body or the headers', async () => {
    for (const path of ['', 'index.html', 'personnes/123', 'assets/app.js', 'api/session/claim', 'api/events', 'nope.txt']) {
      const res = await rawRequest(host.url + path);
      expect({ path, inBody: res.body.includes(host.token) }).toEqual({ path, inBody: false });
      expect({ path, inHeaders: JSON.stringify(res.headers).includes(host.token) }).toEqual({ path, inHeaders: false });
      expect(res.body).not.toContain('solidariciel-token');
    }
    const page = await rawRequest(host.url);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Solidariciel</title>');
  });

  it('prints a URL whose fragment carries a one-time code that is not the token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(host.launchUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#code=[A-Za-z0-9_-]{43}$/);
    expect(host.launchUrl.startsWith(host.url)).toBe(true);
    expect(launchCode(host.launchUrl)).not.toBe(host.token);
    expect(host.launchUrl).not.toContain(host.token);
  });
});

describe('browser host: the one-time code', () => {
  it('is exchanged once for the token, which then drives the API; a second exchange gets nothing', async () => {
    const host = await startHost({ port: 0, staticDir, prefsFile: prefs('once'), core: fakeCore({ 'session:current': async () => null }) });
    try {
      const code = launchCode(host.launchUrl);
      const first = await claim(host.url, code);
      expect(first.status).toBe(200);
      expect(first.headers['cache-control']).toBe('no-store');
      expect(first.envelope).toEqual({ ok: true, value: { token: host.token } });
      expect((await invoke(host.url, host.token, 'session:current', {})).envelope).toEqual({ ok: true, value: null });
      const second = await claim(host.url, code);
      expect(second.status).toBe(401);
      expect(JSON.stringify(second)).not.toContain(host.token);
      expect(second.envelope).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    } finally {
      await host.close();
    }
  });

  it('gives nothing without the code, with a wrong one, in the query string, from a foreign Origin or Host — and is not spent by those', async () => {
    const host = await startHost({ port: 0, staticDir, prefsFile: prefs('wrong'), core: fakeCore() });
    try {
      const code = launchCode(host.launchUrl);
      const port = new URL(host.url).port;
      const attempts = [
        await claim(host.url, null),
        await claim(host.url, ''),
        await claim(host.url, 'x'.repeat(43)),
        await claim(host.url, `${code}x`),
        await claim(host.url, host.token),
        await claim(host.url, code, { origin: 'http://evil.example' }),
        await claim(host.url, code, { origin: `http://127.0.0.1:${Number(port) + 1}` }),
        await claim(host.url, code, { host: `evil.example:${port}` }),
      ];
      for (const a of attempts) {
        expect([401, 403]).toContain(a.status);
        expect(JSON.stringify(a)).not.toContain(host.token);
      }
      const inQuery = await rawRequest(`${host.url}api/session/claim?code=${code}`, { method: 'POST', body: '' });
      expect(inQuery.status).toBe(401);
      expect(inQuery.body).not.toContain(host.token);
      expect((await claim(host.url, code)).envelope).toEqual({ ok: true, value: { token: host.token } });
    } finally {
      await host.close();
    }
  });
});

describe('browser host: a request holding the token cannot write anywhere', () => {
  let host: Host;
  let token: string;
  let documentId: string;
  let victim: string;

  beforeAll(async () => {
    const core = createCore({ prefs: new MemoryPreferences(), kdfCost: TEST_KDF });
    host = await startHost({ port: 0, staticDir, prefsFile: prefs('real'), core });
    token = host.token;
    const call = async (channel: string, payload: unknown): Promise<unknown> => {
      const res = await invoke(host.url, token, channel, payload);
      if (!res.envelope.ok) throw new Error(`${channel}: ${res.envelope.error.message}`);
      return res.envelope.value;
    };
    const assocDir = join(dir, 'Entraide.solidariciel');
    mkdirSync(assocDir);
    await call('association:create', { dir: assocDir, name: 'Entraide', adminName: 'admin', password: PASSWORD });
    const { id: personId } = (await call('people:create', { person: { firstName: 'Zoé', lastName: 'Martin' } })) as { id: string };
    const added = (await call('vault:addDocument', {
      personId,
      meta: { type: 'justificatif_domicile' },
      files: [{ name: 'p1.jpg', bytes: fixture('scans', 'attestation-domicile-p1.jpg') }],
    })) as { id: string };
    documentId = added.id;
    victim = join(dir, 'victim-home', '.ssh');
    mkdirSync(victim, { recursive: true });
  }, 60_000);

  afterAll(() => host.close());

  it('vault:exportDocument to an arbitrary path (an authorized_keys file) is refused and writes nothing', async () => {
    const target = join(victim, 'authorized_keys');
    for (const channel of ['vault:exportDocument', 'vault%3AexportDocument']) {
      const res = await invoke(host.url, token, channel, { id: documentId, path: target });
      expect(res.envelope).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(existsSync(target)).toBe(false);
  });

  it('db:rawCopy to an arbitrary path is refused and writes nothing', async () => {
    const target = join(victim, 'copie.sqlite');
    const res = await invoke(host.url, token, 'db:rawCopy', { out: target });
    expect(res.envelope).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(existsSync(target)).toBe(false);
  });
});

describe('the channels that write to a path (shared/contract/writes.ts)', () => {
  it('are real channels, each with the named string field in its request; nothing else matches', () => {
    const entries = Object.entries(WRITES_CHOSEN_PATH);
    expect(entries.map(([c]) => c).sort()).toEqual(['db:rawCopy', 'vault:exportDocument']);
    for (const [channel, field] of entries) {
      if (!isChannel(channel) || field === undefined) throw new Error(`${channel} : canal inconnu`);
      const shape = (contract[channel].request as unknown as { shape: Record<string, unknown> }).shape;
      expect(Object.keys(shape)).toContain(field);
    }
    for (const other of ['constructor', '__proto__', 'toString', 'vault:readDocument', 'vault%3AexportDocument']) expect(chosenPathField(other)).toBeUndefined();
  });
});

describe('browser host: --export-dir, the folder the person chose', () => {
  let host: Host;
  let exportDir: string;
  let written: string[];
  beforeAll(async () => {
    exportDir = join(dir, 'exports');
    mkdirSync(exportDir, { mode: 0o700 });
    mkdirSync(join(exportDir, 'sous-dossier'), { mode: 0o700 });
    symlinkSync(join(dir, 'victim-link'), join(exportDir, 'lien'));
    writeFileSync(join(exportDir, 'deja.pdf'), 'déjà là');
    const core = fakeCore({
      'vault:exportDocument': async (r) => {
        written.push(r.path);
        return { path: r.path };
      },
      'db:rawCopy': async (r) => {
        written.push(r.out);
        return { path: r.out };
      },
    });
    host = await startHost({ port: 0, staticDir, prefsFile: prefs('exports'), core, exportDir });
  });
  beforeEach(() => {
    written = [];
  });
  afterAll(() => host.close());

  it('writes a bare name or an absolute path directly inside the folder, and hands the core the absolute path', async () => {
    const byName = await invoke(host.url, host.token, 'vault:exportDocument', { id: ID, path: 'attestation.pdf' });
    expect(byName.envelope).toEqual({ ok: true, value: { path: join(exportDir, 'attestation.pdf') } });
    const absolute = await invoke(host.url, host.token, 'db:rawCopy', { out: join(exportDir, 'copie.sqlite') });
    expect(absolute.envelope).toEqual({ ok: true, value: { path: join(exportDir, 'copie.sqlite') } });
    expect(written).toEqual([join(exportDir, 'attestation.pdf'), join(exportDir, 'copie.sqlite')]);
  });

  it('refuses anything outside it, in a subfolder, through a link, a hidden name or over an existing file', async () => {
    const refused = [
      join(dir, 'ailleurs.pdf'),
      '/root/.ssh/authorized_keys',
      '../ailleurs.pdf',
      join(exportDir, '..', 'ailleurs.pdf'),
      join(exportDir, 'sous-dossier', 'a.pdf'),
      'sous-dossier/a.pdf',
      join(exportDir, 'lien'),
      'lien',
      '.bashrc',
      'deja.pdf',
      ' a.pdf',
      'a.pdf ',
      'a\u0000.pdf',
      '.',
      '..',
      exportDir,
    ];
    for (const path of refused) {
      const res = await invoke(host.url, host.token, 'vault:exportDocument', { id: ID, path });
      expect({ path, refused: res.envelope.ok === false }).toEqual({ path, refused: true });
      const copy = await invoke(host.url, host.token, 'db:rawCopy', { out: path });
      expect({ path, refused: copy.envelope.ok === false }).toEqual({ path, refused: true });
    }
    expect(written).toEqual([]);
  });

  it('refuses to start on an export folder that others can write', async () => {
    const shared = join(dir, 'partage');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    await expect(startHost({ port: 0, staticDir, prefsFile: prefs('shared'), core: fakeCore(), exportDir: shared })).rejects.toThrow(/partage.*modifiable par d'autres/);
  });
});
