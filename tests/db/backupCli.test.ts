/**
 * `backup now|list|verify|restore` through the real CLI (child processes), and kill -9 of a child in the middle of
 * `backup now`, repeated: the previous backups stay valid and the next run completes (docs/backup.md "Atomicity").
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listBackups } from '../../main/services/backup/layout';
import { verifyBackup } from '../../main/services/backup/restore';
import { PASSWORD, fixture, newTestCore, tempDir } from '../helpers/core';
import { parseJsonOut, runCli } from '../helpers/cli';

/** Kills to try; BACKUP_KILL_RUNS raises it (20 in the drill). */
const RUNS = Number(process.env['BACKUP_KILL_RUNS'] ?? 12);
const env = { SOLIDARICIEL_USER: 'admin' };

describe('backup CLI', () => {
  let dir: string;
  let recoveryCode: string;
  beforeAll(async () => {
    const t = await newTestCore();
    dir = t.dir;
    recoveryCode = t.recoveryCode;
    const personId = (await t.call('people:create', { person: { firstName: 'Zoubida', lastName: 'Marchetti' } })).id;
    for (const name of ['carte-identite-specimen.png', 'attestation-domicile-p1.jpg', 'attestation-domicile-p2.jpg']) {
      await t.call('vault:addDocument', { personId, meta: { type: 'autre' }, files: [{ name, bytes: fixture('scans', name) }] });
    }
    await t.core.close(); // the folder stays for the CLI runs
  });

  it('now, list, verify (password and recovery code), restore; exact --json shapes', async () => {
    const to = join(tempDir('solidariciel-cli-dest-'), 'sauvegardes');
    const now = parseJsonOut<Record<string, unknown>>(await runCli(['backup', 'now', dir, '--to', to, '--json'], { password: PASSWORD, env }));
    expect(Object.keys(now).sort()).toEqual(['blobsCopied', 'bytes', 'path']);
    expect(now['blobsCopied']).toBe(3);
    const list = parseJsonOut<Record<string, unknown>[]>(await runCli(['backup', 'list', dir, '--to', to, '--json'], { password: null }));
    expect(list).toEqual([{ path: now['path'], createdAt: expect.any(String), bytes: now['bytes'] }]);
    const verified = parseJsonOut(await runCli(['backup', 'verify', String(now['path']), '--json'], { password: PASSWORD, env }));
    expect(verified).toEqual({ ok: true, papers: 3, problems: [] });
    const byCode = await runCli(['backup', 'verify', String(now['path']), '--json'], { password: null, env: { SOLIDARICIEL_RECOVERY_CODE: recoveryCode } });
    expect(parseJsonOut(byCode)).toEqual({ ok: true, papers: 3, problems: [] });
    const wrong = await runCli(['backup', 'verify', String(now['path']), '--json'], { password: 'pas le bon', env });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/incorrect/i);
    const into = join(tempDir('solidariciel-cli-restore-'), 'Restaurée');
    const restored = parseJsonOut(await runCli(['backup', 'restore', String(now['path']), '--into', into, '--json'], { password: PASSWORD, env }));
    expect(restored).toEqual({ dir: resolve(into), mustReenroll: false, ok: true, papers: 3, problems: [] });
    const again = await runCli(['backup', 'restore', String(now['path']), '--into', into, '--json'], { password: PASSWORD, env });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/n’est pas vide/);
  });

  it(`kill -9 at random points of backup now (${RUNS} times): earlier backups stay valid, the next run completes`, async () => {
    const to = join(tempDir('solidariciel-kill-'), 'clé');
    parseJsonOut<{ path: string }>(await runCli(['backup', 'now', dir, '--to', to, '--json'], { password: PASSWORD, env }));
    // How long a whole run takes here: kills land between a third of it and its end (after start-up and unlock).
    const started = Date.now();
    await runCli(['backup', 'now', dir, '--to', to, '--json'], { password: PASSWORD, env });
    const whole = Date.now() - started;
    let killed = 0;
    for (let i = 0; i < RUNS; i++) {
      const at = whole * (0.35 + Math.random() * 0.65);
      const child = spawn(resolve('node_modules/.bin/tsx'), [resolve('main/cli/index.ts'), 'backup', 'now', dir, '--to', to, '--json'], {
        env: { ...process.env, SOLIDARICIEL_PASSWORD: PASSWORD, SOLIDARICIEL_USER: 'admin' },
        stdio: 'ignore',
        detached: true,
      });
      const timer = setTimeout(() => {
        // The whole process group: tsx runs the CLI in a child of its own.
        try {
          process.kill(-child.pid!, 'SIGKILL');
          killed++;
        } catch {
          // already ended
        }
      }, at);
      await new Promise((r) => child.on('exit', r));
      clearTimeout(timer);
      // Rotation keeps the newest backup of the day: it (an earlier one, or the killed run's if it had completed) verifies.
      const kept = await listBackups(to);
      expect(kept.length).toBeGreaterThan(0);
      expect(await verifyBackup(kept[0]!.path, { userName: 'admin', password: PASSWORD })).toEqual({ ok: true, papers: 3, problems: [] });
    }
    expect(killed).toBeGreaterThan(0);
    // Every complete backup verifies; then a new run completes and cleans the unfinished ones.
    const next = parseJsonOut<{ path: string }>(await runCli(['backup', 'now', dir, '--to', to, '--json'], { password: PASSWORD, env }));
    expect(await verifyBackup(next.path, { userName: 'admin', password: PASSWORD })).toEqual({ ok: true, papers: 3, problems: [] });
    expect(readdirSync(to).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    expect(readdirSync(join(to, 'blobs')).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    expect(existsSync(next.path)).toBe(true);
  }, 600_000);
});
