/**
 * `vault scanners` and `vault scan` as child processes against the test eSCL server (docs/scanning.md "CLI"):
 * a typed address is listed; a feeder scan in grey at 150 dpi becomes one paper of 3 pages whose SHA-256 is that of
 * the stored file; an empty feeder and an unreachable scanner exit 1 with one French sentence and add nothing; bad
 * options exit 2 before unlocking.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { failed, ok } from '../../helpers/cliAccess';
import { tempDir } from '../../helpers/core';
import { startEsclServer, type EsclServer } from '../../helpers/esclServer';

// Each child process unlocks (Argon2id) and loads the core: seconds each on a loaded machine.
describe('solidariciel CLI: vault scanners, vault scan (child processes)', { timeout: 240_000 }, () => {
  let root: string;
  let dir: string;
  let person: string;
  let server: EsclServer;

  beforeAll(async () => {
    server = await startEsclServer({ refill: true });
    root = tempDir('solidariciel-cli-scan-');
    dir = join(root, 'A.solidariciel');
    ok(await runCli(['init', dir, '--name', 'Entraide A', '--admin', 'marie', '--json']));
    person = ok<{ id: string }>(await runCli(['members', 'add', dir, '--first-name', 'Lucie', '--last-name', 'Martin', '--json'])).id;
  }, 180_000);

  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('vault scanners lists an address typed with --address, with its sources', async () => {
    const address = server.url.replace('http://', '').replace('/eSCL', '');
    const list = ok<{ id: string; name: string; kind: string; sources: string[] }[]>(await runCli(['vault', 'scanners', dir, '--address', address, '--json']));
    expect(list[0]).toEqual({ id: `escl:${server.url}`, name: 'Solidariciel Test MFP 1000', kind: 'escl', sources: ['platen', 'feeder', 'duplex'] });
    const bad = await runCli(['vault', 'scanners', dir, '--address', 'ftp://x', '--json']);
    expect(failed(bad, 1)).toMatch(/^Adresse de scanner non prise en charge/);
  });

  it('vault scan stores the feeder pages as one paper and prints {id, pages, sha256}', async () => {
    const r = ok<{ id: string; pages: number; sha256: string }>(
      await runCli(['vault', 'scan', dir, '--member', person, '--type', 'attestation_domiciliation', '--scanner', `escl:${server.url}`, '--source', 'feeder', '--dpi', '150', '--mode', 'gray', '--expires', '2027-03-02', '--json']),
    );
    expect(r.pages).toBe(3);
    expect(server.settings.at(-1)).toMatchObject({ source: 'Feeder', mode: 'Grayscale8', xResolution: 150, duplex: false });
    const out = join(root, 'export.pdf');
    ok(await runCli(['vault', 'export', dir, r.id, '--out', out, '--json']));
    expect(createHash('sha256').update(readFileSync(out)).digest('hex')).toBe(r.sha256);
    const listed = ok<{ id: string; expires: string | null }[]>(await runCli(['vault', 'list', dir, '--member', person, '--json']));
    expect(listed).toEqual([expect.objectContaining({ id: r.id, expires: '2027-03-02' })]);
  });

  it('vault scan fails in one French sentence, adding nothing, on an empty feeder or an unreachable scanner', async () => {
    const empty = await startEsclServer({ pages: [] });
    try {
      const before = ok<unknown[]>(await runCli(['vault', 'list', dir, '--json'])).length;
      const run = await runCli(['vault', 'scan', dir, '--member', person, '--type', 'autre', '--scanner', `escl:${empty.url}`, '--source', 'feeder', '--json']);
      expect(failed(run, 1)).toMatch(/^Le chargeur est vide/);
      const gone = await runCli(['vault', 'scan', dir, '--member', person, '--type', 'autre', '--scanner', 'escl:http://127.0.0.1:1/eSCL', '--json']);
      expect(failed(gone, 1)).toMatch(/^Le scanner ne répond pas/);
      expect(ok<unknown[]>(await runCli(['vault', 'list', dir, '--json']))).toHaveLength(before);
    } finally {
      await empty.close();
    }
  });

  it('refuses bad options with exit 2 before unlocking', async () => {
    const base = ['vault', 'scan', dir, '--member', person, '--type', 'autre', '--json'];
    expect(failed(await runCli([...base, '--scanner', 'usb:1']), 2)).toMatch(/^Option --scanner/);
    expect(failed(await runCli([...base, '--scanner', `escl:${server.url}`, '--dpi', '20000']), 2)).toMatch(/^Option --dpi/);
    expect(failed(await runCli([...base, '--scanner', `escl:${server.url}`, '--mode', 'sepia']), 2)).toMatch(/^Option --mode : color ou gray ou bw/);
    expect(failed(await runCli([...base, '--scanner', `escl:${server.url}`, '--source', 'platen', '--duplex']), 2)).toMatch(/^Option --duplex/);
  });
});
