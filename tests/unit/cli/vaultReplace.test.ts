/**
 * `vault replace` and `vault remove` through the real CLI (child processes): a new scan takes the paper's place
 * (new fingerprint, same id, the listing shows it), a removed paper leaves the listing; a missing file, an unknown
 * paper or a paper already removed exit 1 with one French line and change nothing; a malformed id exits 2.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { failed, ok } from '../../helpers/cliAccess';
import { fixture, tempDir } from '../../helpers/core';

describe('solidariciel CLI: vault replace, vault remove (child processes)', () => {
  let root: string;
  let dir: string;
  let person: string;
  let card: string;
  let letter: string;
  let paper: { id: string; sha256: string };

  beforeAll(async () => {
    root = tempDir('solidariciel-cli-replace-');
    dir = join(root, 'A.solidariciel');
    card = join(root, 'carte.png');
    letter = join(root, 'attestation.jpg');
    writeFileSync(card, fixture('scans', 'carte-identite-specimen.png'));
    writeFileSync(letter, fixture('scans', 'attestation-domicile-p1.jpg'));
    ok(await runCli(['init', dir, '--name', 'Entraide A', '--admin', 'marie', '--json']));
    person = ok<{ id: string }>(await runCli(['members', 'add', dir, '--first-name', 'Awa', '--last-name', 'Diallo', '--json'])).id;
    paper = ok<{ id: string; sha256: string }>(await runCli(['vault', 'add', dir, '--member', person, '--type', 'carte_identite', card, '--json']));
  }, 180_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const listed = async () => ok<{ id: string; sha256: string }[]>(await runCli(['vault', 'list', dir, '--json'])).map((d) => [d.id, d.sha256]);

  it('replaces a paper with a new scan: same id, new fingerprint, listed as such', async () => {
    const replaced = ok<{ id: string; pages: number; sha256: string }>(await runCli(['vault', 'replace', dir, paper.id, letter, '--json']));
    expect(replaced).toEqual({ id: paper.id, pages: 1, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(replaced.sha256).not.toBe(paper.sha256);
    expect(await listed()).toEqual([[paper.id, replaced.sha256]]);
    paper = replaced;
  });

  it('refuses a missing file and an unknown paper with one French line, changing nothing', async () => {
    expect(failed(await runCli(['vault', 'replace', dir, paper.id, join(root, 'absente.png'), '--json']), 1)).toBe(`Fichier introuvable ou illisible : ${join(root, 'absente.png')}\n`);
    expect(failed(await runCli(['vault', 'replace', dir, person, card, '--json']), 1)).toMatch(/introuvable/);
    expect(failed(await runCli(['vault', 'replace', dir, 'pas-un-id', card]), 2)).toMatch(/^Document : identifiant attendu/);
    expect(failed(await runCli(['vault', 'replace', dir, paper.id]), 2)).toMatch(/^Argument manquant/);
    expect(await listed()).toEqual([[paper.id, paper.sha256]]);
  });

  it('removes a paper: gone from the listing; removing it again exits 1', async () => {
    expect(ok(await runCli(['vault', 'remove', dir, paper.id, '--json']))).toEqual({ id: paper.id });
    expect(await listed()).toEqual([]);
    expect(failed(await runCli(['vault', 'remove', dir, paper.id, '--json']), 1)).toMatch(/introuvable/);
    expect(failed(await runCli(['vault', 'remove', dir, 'pas-un-id']), 2)).toMatch(/^Document : identifiant attendu/);
  });
});
