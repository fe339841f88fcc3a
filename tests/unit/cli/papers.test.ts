/**
 * The CLI of papers to renew and deposit receipts (docs/papers-expiry.md, docs/deposit-receipt.md) as child
 * processes: `vault expiring --within` → [{documentId, personId, type, expiresOn}]; `vault receipt` writes a signed
 * PDF (never over an existing file); `vault verify-receipt` → {ok, documents, reason}, exit 1 naming what differs
 * after one byte is flipped, and after a paper it lists is replaced; usage errors exit 2.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PASSWORD, parseJsonOut, runCli } from '../../helpers/cli';
import { failed, ok } from '../../helpers/cliAccess';
import { fixture, tempDir } from '../../helpers/core';
import { createCore } from '../../../main/core';
import { MemoryPreferences } from '../../../main/core/filePreferences';
import { dispatch, noEvents } from '../../../main/core/dispatch';
import { addDays } from '../../../main/services/papers/expiryService';
import { today } from '../../../main/services/context';
import { systemClock } from '../../../main/core/ports';

describe('solidariciel CLI: vault expiring, receipt, verify-receipt (child processes)', () => {
  let root: string;
  let dir: string;
  let person: string;
  let soon: string;
  let later: string;
  let receipt: string;

  beforeAll(async () => {
    root = tempDir('solidariciel-cli-papers-');
    dir = join(root, 'A.solidariciel');
    receipt = join(root, 'attestation.pdf');
    ok(await runCli(['init', dir, '--name', 'Entraide A', '--admin', 'marie', '--json']));
    person = ok<{ id: string }>(await runCli(['members', 'add', dir, '--first-name', 'Awa', '--last-name', 'Diallo', '--json'])).id;
    const scan = join(root, 'carte.png');
    writeFileSync(scan, fixture('scans', 'carte-identite-specimen.png'));
    const now = today(systemClock);
    soon = ok<{ id: string }>(await runCli(['vault', 'add', dir, '--member', person, '--type', 'carte_identite', '--expires', addDays(now, 12), scan, '--json'])).id;
    later = ok<{ id: string }>(await runCli(['vault', 'add', dir, '--member', person, '--type', 'passeport', '--expires', addDays(now, 200), scan, '--json'])).id;
  }, 180_000);

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('vault expiring --within DAYS lists the papers expiring in that window', async () => {
    const expiresOn = addDays(today(systemClock), 12);
    expect(ok(await runCli(['vault', 'expiring', dir, '--within', '30', '--json']))).toEqual([{ documentId: soon, personId: person, type: 'carte_identite', expiresOn }]);
    expect(ok<unknown[]>(await runCli(['vault', 'expiring', dir, '--within', '365', '--json']))).toHaveLength(2);
    const bad = await runCli(['vault', 'expiring', dir, '--within', 'bientôt', '--json']);
    expect(failed(bad, 2)).toMatch(/^Option --within : nombre de jours attendu/);
  });

  it('vault receipt writes the signed PDF, never over an existing file; verify-receipt says it is valid', async () => {
    const r = ok<{ depositId: string; path: string; timestamp: null }>(await runCli(['vault', 'receipt', dir, '--documents', `${soon},${later}`, '--out', receipt, '--json']));
    expect(r).toEqual({ depositId: expect.stringMatching(/^[0-9a-f-]{36}$/), path: receipt, timestamp: null });
    expect(readFileSync(receipt).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(failed(await runCli(['vault', 'receipt', dir, '--documents', soon, '--out', receipt, '--json']), 1)).toContain('existe déjà');
    expect(ok(await runCli(['vault', 'verify-receipt', dir, receipt, '--json']))).toEqual({ ok: true, documents: [{ id: soon, ok: true }, { id: later, ok: true }], reason: null });
  });

  it('verify-receipt exits 1 naming what differs when one byte is flipped', async () => {
    const bytes = readFileSync(receipt);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = bytes[middle]! ^ 0x04;
    const altered = join(root, 'altered.pdf');
    writeFileSync(altered, bytes);
    const run = await runCli(['vault', 'verify-receipt', dir, altered, '--json']);
    expect(run.code).toBe(1);
    expect(parseJsonOut(run)).toEqual({ ok: false, documents: [], reason: expect.stringContaining('Attestation non valable') });
    expect(run.stderr).toMatch(/^Attestation non valable : .+\n$/);
    expect(run.stderr).not.toContain('    at ');
  });

  it('verify-receipt exits 1 naming the paper replaced since the receipt', async () => {
    const core = createCore({ prefs: new MemoryPreferences() });
    const call = async (channel: string, request: unknown) => {
      const env = await dispatch(core.handlers, channel as never, request, noEvents);
      if (!env.ok) throw new Error(env.error.message);
      return env.value;
    };
    await call('session:unlock', { dir, userName: 'marie', password: CLI_PASSWORD });
    await call('vault:replaceDocument', { id: later, files: [{ name: 'p1.jpg', bytes: fixture('scans', 'attestation-domicile-p1.jpg') }] });
    await core.close();
    const run = await runCli(['vault', 'verify-receipt', dir, receipt, '--json']);
    expect(run.code).toBe(1);
    expect(parseJsonOut(run)).toEqual({ ok: false, documents: [{ id: soon, ok: true }, { id: later, ok: false }], reason: expect.stringContaining(later) });
    expect(run.stderr).toContain('ne correspond plus à son empreinte');
  }, 60_000);

  it('usage errors exit 2 before unlocking', async () => {
    const nowhere = join(root, 'nowhere');
    expect(failed(await runCli(['vault', 'receipt', nowhere, '--documents', 'x', '--out', receipt]), 2)).toMatch(/^Option --documents : identifiant attendu/);
    expect(failed(await runCli(['vault', 'verify-receipt', nowhere]), 2)).toMatch(/^Argument manquant\.\nUsage : vault verify-receipt DIR FICHIER\.pdf/);
    expect(failed(await runCli(['vault', 'expiring', nowhere]), 2)).toMatch(/^Option --within obligatoire/);
  });
});
