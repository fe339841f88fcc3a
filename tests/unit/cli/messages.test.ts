/**
 * `messages send | list` (issue 11 §9, docs/messages.md): the JSON shapes on a real child process, the recipients by
 * name, `--unread`, and usage errors (exit 2) and failures (exit 1) in French.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PASSWORD, runCli } from '../../helpers/cli';
import { failed, ok, runAs, runInProcess } from '../../helpers/cliAccess';
import { tempDir } from '../../helpers/core';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('solidariciel CLI: messages', () => {
  let root: string;
  let dir: string;

  beforeAll(async () => {
    root = tempDir('solidariciel-cli-messages-');
    dir = join(root, 'A.solidariciel');
    ok(await runInProcess(['init', dir, '--name', 'Entraide', '--admin', 'marie', '--json'], { SOLIDARICIEL_PASSWORD: CLI_PASSWORD }));
    for (const args of [['groups', 'add', dir, '--name', 'Accueil', '--json'], ['users', 'add', dir, '--name', 'bea', '--role', 'volunteer', '--groups', 'Accueil', '--json']]) {
      const r = await runAs('marie', CLI_PASSWORD, args, { SOLIDARICIEL_NEW_PASSWORD: 'mot de passe de Béa' });
      expect(r.code, r.stderr).toBe(0);
    }
  }, 120_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('send to a user by name answers {id, conversationId}; the recipient lists it among the unread', async () => {
    const sent = ok<{ id: string; conversationId: string }>(await runCli(['messages', 'send', dir, '--to-user', 'bea', '--text', 'Bienvenue dans l’équipe', '--user', 'marie', '--json']));
    expect(sent).toEqual({ id: expect.stringMatching(UUID), conversationId: expect.stringMatching(UUID) });
    const list = ok<unknown[]>(await runCli(['messages', 'list', dir, '--unread', '--user', 'bea', '--json'], { password: 'mot de passe de Béa' }));
    expect(list).toEqual([{ id: sent.id, conversationId: sent.conversationId, from: 'marie', text: 'Bienvenue dans l’équipe', sentAt: expect.any(String) }]);
  }, 60_000);

  it('send to a group by name; the sender lists their own message', async () => {
    const sent = ok<{ id: string; conversationId: string }>(await runAs('bea', 'mot de passe de Béa', ['messages', 'send', dir, '--to-group', 'accueil', '--text', 'Qui tient la permanence ?', '--json']));
    const mine = ok<{ id: string; text: string }[]>(await runAs('bea', 'mot de passe de Béa', ['messages', 'list', dir, '--json']));
    expect(mine.map((m) => m.text)).toContain('Qui tient la permanence ?');
    expect(mine.find((m) => m.text === 'Qui tient la permanence ?')?.id).toBe(sent.id);
  });

  it('usage errors exit 2, an unknown recipient exits 1, in French', async () => {
    expect(failed(await runAs('marie', CLI_PASSWORD, ['messages', 'send', dir, '--text', 'Sans destinataire', '--json']), 2)).toContain('Un seul destinataire');
    expect(failed(await runAs('marie', CLI_PASSWORD, ['messages', 'send', dir, '--to-user', 'bea', '--to-group', 'Accueil', '--text', 'Deux', '--json']), 2)).toContain('Un seul destinataire');
    expect(failed(await runAs('marie', CLI_PASSWORD, ['messages', 'send', dir, '--to-user', 'bea', '--json']), 2)).toContain('--text');
    expect(failed(await runAs('marie', CLI_PASSWORD, ['messages', 'send', dir, '--to-user', 'zoe', '--text', 'Bonjour Zoé', '--json']), 1)).toContain('Utilisateur inconnu : « zoe »');
    expect(failed(await runAs('marie', CLI_PASSWORD, ['messages', 'send', dir, '--to-circle', 'pas-un-id', '--text', 'Bonjour', '--json']), 2)).toContain('--to-circle');
    expect(failed(await runAs('marie', CLI_PASSWORD, ['messages', 'send', dir, '--to-user', 'bea', '--text', '   ', '--json']), 2)).toContain('--text');
  });
});
