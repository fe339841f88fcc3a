/**
 * The CLI of a person's data handed over, erasure and retention (docs/portability.md, docs/erasure.md) as child
 * processes: `members export` → ZIP, `members import-export` into another association → {personId, papers},
 * `retention review` → {people, papers}, `members erase` refused without --confirm, then done with it.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { failed, ok } from '../../helpers/cliAccess';
import { fixture, tempDir } from '../../helpers/core';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('solidariciel CLI: export, import, erase, retention (child processes)', () => {
  let root: string;
  let a: string;
  let b: string;
  let person: string;
  let zip: string;

  beforeAll(async () => {
    root = tempDir('solidariciel-cli-erase-');
    a = join(root, 'A.solidariciel');
    b = join(root, 'B.solidariciel');
    zip = join(root, 'export.zip');
    ok(await runCli(['init', a, '--name', 'Entraide A', '--admin', 'marie', '--json']));
    ok(await runCli(['init', b, '--name', 'Entraide B', '--admin', 'marie', '--json']));
    person = ok<{ id: string }>(await runCli(['members', 'add', a, '--first-name', 'Ninon', '--last-name', 'Vasseur', '--email', 'ninon@example.org', '--json'])).id;
    const scan = join(root, 'carte.png');
    writeFileSync(scan, fixture('scans', 'carte-identite-specimen.png'));
    ok(await runCli(['vault', 'add', a, '--member', person, '--type', 'autre', '--expires', '2020-01-31', scan, '--json']));
  }, 120_000);

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('members export writes the ZIP, never over an existing file', async () => {
    expect(ok(await runCli(['members', 'export', a, '--member', person, '--out', zip, '--json']))).toEqual({ path: zip, bytes: expect.any(Number) });
    expect(readFileSync(zip).subarray(0, 2).toString('latin1')).toBe('PK');
    const again = await runCli(['members', 'export', a, '--member', person, '--out', zip, '--json']);
    expect(failed(again, 1)).toContain('existe déjà');
  });

  it('members import-export brings the person and the paper into another association', async () => {
    const r = ok<{ personId: string; papers: number }>(await runCli(['members', 'import-export', b, zip, '--json']));
    expect(r).toEqual({ personId: expect.stringMatching(UUID), papers: 1 });
    const list = ok<{ id: string; firstName: string; email: string }[]>(await runCli(['members', 'list', b, '--json']));
    expect(list).toEqual([expect.objectContaining({ id: r.personId, firstName: 'Ninon', email: 'ninon@example.org' })]);
  });

  it('retention review lists the paper expired for more than 6 months', async () => {
    const r = ok<{ people: unknown[]; papers: { personId: string; expiresOn: string }[] }>(await runCli(['retention', 'review', a, '--json']));
    expect(r.people).toEqual([]);
    expect(r.papers).toEqual([expect.objectContaining({ personId: person, expiresOn: '2020-01-31' })]);
  });

  it('members erase is refused without --confirm, then erases with it', async () => {
    expect(failed(await runCli(['members', 'erase', a, '--member', person, '--json']), 1)).toContain('--confirm');
    expect(ok(await runCli(['members', 'list', a, '--json']))).toHaveLength(1);
    const r = ok<{ personId: string; papers: number; counts: Record<string, number> }>(await runCli(['members', 'erase', a, '--member', person, '--confirm', '--json']));
    expect(r).toEqual({ personId: person, papers: 1, counts: { people: 1, documents: 1 } });
    expect(ok(await runCli(['members', 'list', a, '--json']))).toEqual([]);
    expect(existsSync(a)).toBe(true);
  });
});
