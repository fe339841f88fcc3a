/**
 * When the renewal tasks are created (docs/papers-expiry.md "When"): a window host (backgroundSync) sweeps right after
 * each unlock without being asked; the CLI and tests (no background work) never do.
 */
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core';
import { dispatch, noEvents } from '../../main/core/dispatch';
import { MemoryPreferences } from '../../main/core/filePreferences';
import { systemClock } from '../../main/core/ports';
import { today } from '../../main/services/context';
import { addDays, renewalTaskId } from '../../main/services/papers/expiryService';
import type { Channel, RequestOf, ResponseOf } from '../../shared/contract';
import { PASSWORD, TEST_KDF, fixture, tempDir } from '../helpers/core';

const root = tempDir('solidariciel-sweep-');
const cores: Core[] = [];

function open(backgroundSync: boolean) {
  const core = createCore({ prefs: new MemoryPreferences(), kdfCost: TEST_KDF, backgroundSync });
  cores.push(core);
  return async <C extends Exclude<Channel, `os:${string}`>>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> => {
    const env = await dispatch(core.handlers, channel, request, noEvents);
    if (!env.ok) throw new Error(`${env.error.code}: ${env.error.message}`);
    return env.value as never;
  };
}

const renewals = async (call: ReturnType<typeof open>) => (await call('tasks:list', { view: 'all' })).items.filter((x) => x.title.startsWith('Renouveler')).map((x) => x.id);

afterAll(async () => {
  for (const c of cores) await c.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the renewal sweep at unlock', () => {
  it('runs after each unlock of a window host, never in the CLI or tests', async () => {
    const dir = join(root, 'Entraide.solidariciel');
    const cli = open(false);
    await cli('association:create', { dir, name: 'Entraide', adminName: 'admin', password: PASSWORD });
    const personId = (await cli('people:create', { person: { firstName: 'Awa', lastName: 'Diallo' } })).id;
    const meta = { type: 'titre_sejour' as const, expiresOn: addDays(today(systemClock), 10) };
    const paperId = (await cli('vault:addDocument', { personId, meta, files: [{ name: 'c.png', bytes: fixture('scans', 'carte-identite-specimen.png') }] })).id;
    await cli('session:lock', { reason: 'user' });
    await cli('session:unlock', { dir, userName: 'admin', password: PASSWORD });
    await new Promise((r) => setTimeout(r, 500));
    expect(await renewals(cli)).toEqual([]);
    await cli('session:lock', { reason: 'user' });

    const desk = open(true);
    await desk('session:unlock', { dir, userName: 'admin', password: PASSWORD });
    let found: string[] = [];
    for (let i = 0; i < 50 && found.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      found = await renewals(desk);
    }
    expect(found).toEqual([renewalTaskId(paperId)]);
    await desk('session:lock', { reason: 'user' });
  });
});
