/** Keys of the vault are wiped on every path: the scope key read to seal a document key, even when the row fails. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as aead from '../../main/crypto/aead';
import { fixture, newTestCore, type TestCore } from '../helpers/core';

const sealedWith = vi.hoisted(() => ({ keys: [] as Uint8Array[] }));
vi.mock('../../main/crypto/aead', async (importOriginal) => {
  const original = await importOriginal<typeof aead>();
  return {
    ...original,
    seal: async (key: Uint8Array, plaintext: Uint8Array, ad: string) => {
      sealedWith.keys.push(key);
      return original.seal(key, plaintext, ad);
    },
  };
});

describe('vault keys', () => {
  let t: TestCore;
  beforeEach(async () => {
    t = await newTestCore();
    sealedWith.keys = [];
  });
  afterEach(async () => t.cleanup());

  it('wipes the scope key when the document row cannot be written', async () => {
    const { id: personId } = await t.call('people:create', { person: { firstName: 'Awa', lastName: 'Diallo', kinds: ['beneficiary'] } });
    await t.core.session()!.ctx.db.raw("CREATE TEMP TRIGGER fail_doc BEFORE INSERT ON documents BEGIN SELECT RAISE(ABORT, 'disque plein'); END");
    await expect(
      t.call('vault:addDocument', { personId, meta: { type: 'autre' }, files: [{ name: 'cni.png', bytes: fixture('scans', 'carte-identite-specimen.png') }] }),
    ).rejects.toThrow();
    expect(sealedWith.keys).toHaveLength(1);
    expect(sealedWith.keys[0]!.every((b) => b === 0)).toBe(true);
  });
});
