/**
 * A paper replaced or removed on one device, through a real hub (SQLite): the other device gets the new scan or the
 * tombstone, keeps no copy of the old wrapped key in its conflict history, and deletes the old blob from its vault;
 * a removed paper's blob is never fetched again (docs/sync.md "Papers").
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../hub/helpers';
import { fixture, pairThroughHub, newTestCore, type TestCore } from '../helpers/core';
import { caught } from '../helpers/access';

const png = () => [{ name: 'cni.png', bytes: fixture('scans', 'carte-identite-specimen.png') }];
const caf = () => [{ name: 'caf.pdf', bytes: fixture('scans', 'attestation-caf-2pages.pdf') }];
type Row = { blob_name: string; wrapped_key: string; deleted_at: string | null; title: string | null };

describe('replace and remove across devices', () => {
  let hub: TestHub;
  let a: TestCore;
  let b: TestCore;
  let personId: string;
  const row = async (t: TestCore, id: string) => (await t.core.session()!.ctx.db('documents').where({ id }).first()) as Row;
  const blobPath = (t: TestCore, name: string) => join(t.dir, 'vault', name.slice(0, 2), name);
  /** Every value kept in `sync_history`, as stored (values are JSON there: quotes inside a wrapped key are escaped). */
  const history = async (t: TestCore) => ((await t.core.session()!.ctx.db('sync_history').select()) as Record<string, unknown>[]).flatMap((r) => Object.values(r).map(String)).join('\n');
  /** The sealed bytes of a wrapped key (its longest base64 run): found in the history however the JSON is escaped. */
  const sealedPart = (wrapped: string) => wrapped.match(/[A-Za-z0-9+/_=-]{40,}/)![0];
  const both = async () => {
    await a.call('sync:now', {});
    await b.call('sync:now', {});
  };

  beforeAll(async () => {
    hub = await startHub('sqlite');
    a = await newTestCore();
    personId = (await a.call('people:create', { person: { firstName: 'Awa', lastName: 'Diallo' } })).id;
    b = await pairThroughHub(hub.url, a);
  }, 120_000);
  afterAll(async () => {
    await b?.cleanup();
    await a?.cleanup();
    await hub?.close();
  });

  it('a replacement reaches the other device: new scan readable, old key not kept, old blob deleted', async () => {
    const id = (await a.call('vault:addDocument', { personId, meta: { type: 'carte_identite', title: 'CNI recto' }, files: png() })).id;
    await both();
    const old = await row(b, id);
    await b.call('vault:readDocument', { id });
    expect(existsSync(blobPath(b, old.blob_name))).toBe(true);

    const replaced = await a.call('vault:replaceDocument', { id, files: caf() });
    await both();
    const onB = await b.call('vault:readDocument', { id });
    expect(onB.document).toMatchObject({ pages: 2, sha256: replaced.sha256, title: 'CNI recto' });
    expect((await row(b, id)).wrapped_key).not.toBe(old.wrapped_key);
    expect(await history(b)).not.toContain(sealedPart(old.wrapped_key));
    expect(existsSync(blobPath(b, old.blob_name))).toBe(false);
  });

  it('a removal reaches the other device: tombstone without key, blob deleted and never fetched again', async () => {
    const id = (await a.call('vault:addDocument', { personId, meta: { type: 'passeport', title: 'Passeport de Awa' }, files: png() })).id;
    await both();
    await b.call('vault:readDocument', { id });
    const old = await row(b, id);

    await a.call('vault:removeDocument', { id });
    await both();
    await both();
    expect(await row(b, id)).toMatchObject({ wrapped_key: '', title: null, deleted_at: expect.any(String) });
    expect(await history(b)).not.toContain(sealedPart(old.wrapped_key));
    expect(await history(b)).not.toContain('Passeport de Awa');
    expect(existsSync(blobPath(b, old.blob_name))).toBe(false);
    expect(existsSync(blobPath(a, old.blob_name))).toBe(false);
    expect(await caught(b.call('vault:readDocument', { id }))).toMatchObject({ code: 'NOT_FOUND' });
  });
});
