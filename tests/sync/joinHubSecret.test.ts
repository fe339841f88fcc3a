/**
 * Joining a hub whose operator requires a registration secret (docs/hub-scaling.md "Limits"): refused without it,
 * with a message saying what to ask for, accepted with it — through the app's own channel (`sync:joinHub`).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newTestCore, type TestCore } from '../helpers/core';
import { Clock, startHub, type TestHub } from '../hub/helpers';

const SECRET = 'secret-remis-par-la-federation';

describe('sync:joinHub with a registration secret', () => {
  let hub: TestHub;
  let t: TestCore;
  beforeEach(async () => {
    hub = await startHub('sqlite', new Clock(), { registrationSecret: SECRET });
    t = await newTestCore();
  });
  afterEach(async () => {
    await t?.cleanup();
    await hub?.close();
  });

  it('is refused without the secret, then joins with it', async () => {
    const refused = await t.call('sync:joinHub', { hubUrl: hub.url, deviceName: 'Accueil' }).then(
      () => null,
      (e: Error & { code?: string }) => e,
    );
    expect(refused?.code).toBe('HUB_REFUSED');
    expect(refused?.message).toContain("secret d'inscription");
    expect((await t.call('sync:status', {})).configured).toBe(false);
    await t.call('sync:joinHub', { hubUrl: hub.url, deviceName: 'Accueil', registrationSecret: SECRET });
    await t.call('people:create', { person: { firstName: 'Awa', lastName: 'Diallo', kinds: ['member'] } });
    expect((await t.call('sync:now', {})).pushed).toBeGreaterThan(0);
  });
});
