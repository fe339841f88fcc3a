/**
 * Where Argon2id runs (main/crypto/kdf.ts): Node's own crypto.argon2 must give byte for byte what libsodium's
 * crypto_pwhash ARGON2ID13 gave when every existing slot was written, and the fallback (libsodium in a worker thread
 * that ends after the call) the same; neither grows the calling thread's libsodium memory.
 */
import { describe, expect, it } from 'vitest';
import { argon2idInWorker, argon2idNative, argon2idWith, deriveKek, endKdfWorker, kdfWorkerRunning, runtimeArgon2, WORKER_IDLE_MS, type NodeArgon2 } from '../../../main/crypto/kdf';
import { getSodium } from '../../../main/crypto/sodium';

const MiB = 1024 * 1024;
const utf8 = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Passwords with accents, emoji, an empty one, a long one; memory costs from the minimum to 64 MiB; 16 and 64-byte outputs. */
const VECTORS = [
  { password: 'mot de passe', opslimit: 2, memlimit: 8 * MiB, length: 32 },
  { password: 'Hélène Lefèvre-Dupré 🔑', opslimit: 3, memlimit: 64 * MiB, length: 32 },
  { password: '', opslimit: 1, memlimit: 8192, length: 32 },
  { password: 'x'.repeat(500), opslimit: 4, memlimit: 9 * MiB + 1024, length: 64 },
  { password: 'œuvre ÇA', opslimit: 1, memlimit: 16 * MiB, length: 16 },
];

async function libsodium(v: (typeof VECTORS)[number], salt: Uint8Array): Promise<string> {
  const s = await getSodium();
  return hex(s.crypto_pwhash(v.length, v.password, salt, v.opslimit, v.memlimit, s.crypto_pwhash_ALG_ARGON2ID13));
}

describe('Argon2id: Node’s crypto.argon2 and the worker fallback match libsodium', () => {
  it('this Node has crypto.argon2 (Node ≥ 24.7; Electron 41 embeds Node 24)', () => {
    expect(typeof runtimeArgon2).toBe('function');
  });

  it('crypto.argon2 gives the same bytes as crypto_pwhash ARGON2ID13 on every vector', async () => {
    const s = await getSodium();
    for (const [i, v] of VECTORS.entries()) {
      const salt = s.randombytes_buf(16);
      const job = { password: utf8(v.password), salt, opslimit: v.opslimit, memlimit: v.memlimit, length: v.length };
      expect(hex(await argon2idNative(runtimeArgon2!, job)), `vector ${i}`).toBe(await libsodium(v, salt));
    }
  }, 60_000);

  it('a known vector: libsodium’s own answer for a fixed salt is what deriveKek gives', async () => {
    const s = await getSodium();
    const salt = new Uint8Array(16).map((_, i) => i);
    const expected = await libsodium(VECTORS[0]!, salt);
    const kek = await deriveKek('mot de passe', { alg: 'argon2id13', opslimit: 2, memlimit: 8 * MiB, salt: s.to_base64(salt) });
    expect(hex(kek)).toBe(expected);
    expect(hex(kek)).not.toBe(await libsodium({ ...VECTORS[0]!, password: 'mot de passE' }, salt));
  });

  it('the worker fallback gives the same bytes, and is chosen when the runtime has no crypto.argon2', async () => {
    const s = await getSodium();
    for (const v of [VECTORS[0]!, VECTORS[1]!, VECTORS[2]!]) {
      const salt = s.randombytes_buf(16);
      const job = { password: utf8(v.password), salt, opslimit: v.opslimit, memlimit: v.memlimit, length: v.length };
      expect(hex(await argon2idInWorker(job))).toBe(await libsodium(v, salt));
    }
    expect(argon2idWith(undefined)).toBe(argon2idInWorker);
    let called = 0;
    const fake: NodeArgon2 = (_alg, _p, cb) => {
      called += 1;
      cb(null, Buffer.alloc(32, 7));
    };
    const key = await argon2idWith(fake)({ password: utf8('a'), salt: new Uint8Array(16), opslimit: 1, memlimit: 8192, length: 32 });
    expect(called).toBe(1);
    expect(hex(key)).toBe('07'.repeat(32));
  }, 60_000);

  it('the worker’s refusal (a memory cost libsodium rejects) comes back as an error; the worker ends once idle', async () => {
    const job = { password: utf8('a'), salt: new Uint8Array(16), opslimit: 1, memlimit: 1024, length: 32 };
    await expect(argon2idInWorker(job)).rejects.toThrow(/^Argon2id : /);
    // Derivations in a row share one worker; it ends WORKER_IDLE_MS after the last one.
    const ok = { ...job, memlimit: 8192 };
    const [a, b] = await Promise.all([argon2idInWorker(ok), argon2idInWorker({ ...ok, opslimit: 2 })]);
    expect(hex(a!)).not.toBe(hex(b!));
    expect(kdfWorkerRunning()).toBe(true);
    await new Promise((r) => setTimeout(r, WORKER_IDLE_MS + 500));
    expect(kdfWorkerRunning()).toBe(false);
  });

  it('deriving at 128 MiB leaves the process’s resident memory where it was; libsodium on this thread would not', async () => {
    const s = await getSodium();
    const rssMiB = () => process.memoryUsage.rss() / MiB;
    const salt = new Uint8Array(16);
    const before = rssMiB();
    await deriveKek('mot de passe', { alg: 'argon2id13', opslimit: 1, memlimit: 128 * MiB, salt: s.to_base64(salt) });
    await argon2idInWorker({ password: utf8('a'), salt, opslimit: 1, memlimit: 128 * MiB, length: 32 });
    await endKdfWorker();
    await new Promise((r) => setTimeout(r, 100));
    expect(rssMiB() - before).toBeLessThan(48);
    // The control: libsodium on the calling thread keeps its grown WebAssembly memory (what the core used to do); the
    // reference vectors above already grew it to 64 MiB, so it grows by the other 64 MiB.
    const control = rssMiB();
    s.crypto_pwhash(32, 'a', salt, 1, 128 * MiB, s.crypto_pwhash_ALG_ARGON2ID13);
    await new Promise((r) => setTimeout(r, 100));
    expect(rssMiB() - control).toBeGreaterThan(48);
  }, 60_000);
});
