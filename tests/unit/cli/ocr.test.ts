/**
 * The CLI of text recognised in papers (docs/ocr.md) as child processes: `vault ocr` → {pending, done, failed}, with
 * `--wait` after recognising what is pending (stdout stays one JSON document: Tesseract prints nothing); `vault
 * search` → [{documentId, personId, type, snippet}]; `vault export-searchable` writes the PDF; bad input exits 1 or 2
 * with a French line.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { failed, ok } from '../../helpers/cliAccess';
import { tempDir } from '../../helpers/core';
import { renderPage } from '../../helpers/ocrPages';

describe('solidariciel CLI: vault ocr, search, export-searchable (child processes)', () => {
  let root: string;
  let dir: string;
  let person: string;
  let paper: string;

  beforeAll(async () => {
    root = tempDir('solidariciel-cli-ocr-');
    dir = join(root, 'A.solidariciel');
    ok(await runCli(['init', dir, '--name', 'Entraide A', '--admin', 'marie', '--json']));
    person = ok<{ id: string }>(await runCli(['members', 'add', dir, '--first-name', 'Awa', '--last-name', 'Diallo', '--json'])).id;
    const scan = join(root, 'quittance.png');
    writeFileSync(scan, renderPage(['Quittance de loyer', 'Reçu de Madame Awa Diallo la somme de 420 €'], { height: 1200 }));
    paper = ok<{ id: string }>(await runCli(['vault', 'add', dir, '--member', person, '--type', 'justificatif_domicile', scan, '--json'])).id;
  }, 180_000);

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('vault ocr counts the queue, and with --wait recognises what is pending', async () => {
    expect(ok(await runCli(['vault', 'ocr', dir, '--json']))).toEqual({ pending: 1, done: 0, failed: 0 });
    expect(ok(await runCli(['vault', 'ocr', dir, '--wait', '--json'], { timeoutMs: 240_000 }))).toEqual({ pending: 0, done: 1, failed: 0 });
  }, 300_000);

  it('vault search finds a word of the paper (accents ignored), with a snippet', async () => {
    const hits = ok<unknown[]>(await runCli(['vault', 'search', dir, 'RECU quittance', '--json']));
    expect(hits).toEqual([{ documentId: paper, personId: person, type: 'justificatif_domicile', snippet: expect.stringContaining('Quittance de loyer') }]);
    expect(ok(await runCli(['vault', 'search', dir, 'introuvable', '--json']))).toEqual([]);
    expect(failed(await runCli(['vault', 'search', dir, 'x', '--json']), 1)).toMatch(/au moins 2 caractères/);
    expect(failed(await runCli(['vault', 'search', dir, '--json']), 2)).toMatch(/vault search DIR TEXTE/);
  }, 300_000);

  it('vault export-searchable writes a PDF whose text pdftotext reads', async () => {
    const out = join(root, 'interrogeable.pdf');
    expect(ok(await runCli(['vault', 'export-searchable', dir, paper, '--out', out, '--json']))).toEqual({ path: out, pagesWithText: 1 });
    expect(execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' })).toContain('Quittance');
  }, 180_000);
});
