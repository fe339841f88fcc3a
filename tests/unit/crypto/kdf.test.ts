/** The production Argon2id cost (DESIGN.md "Keys": ≥ MODERATE class, calibrated to ~0.5 s). Runs real Argon2id. */
import { describe, expect, it } from 'vitest';
import { belowFloor, calibratedCost, deriveKek, kdfFloor, newKdfParams, TARGET_MS } from '../../../main/crypto/kdf';
import { getSodium } from '../../../main/crypto/sodium';

describe('calibratedCost', () => {
  it('is at least libsodium MODERATE: opslimit ≥ 3, memlimit ≥ 256 MiB', async () => {
    const sodium = await getSodium();
    expect(sodium.crypto_pwhash_OPSLIMIT_MODERATE).toBe(3);
    expect(sodium.crypto_pwhash_MEMLIMIT_MODERATE).toBe(256 * 1024 * 1024);
    const cost = await calibratedCost();
    expect(cost.opslimit).toBeGreaterThanOrEqual(3);
    expect(cost.opslimit).toBeLessThanOrEqual(12);
    expect(cost.memlimit).toBeGreaterThanOrEqual(256 * 1024 * 1024);
    expect(TARGET_MS).toBe(500);
    // Measured once per process.
    expect(await calibratedCost()).toBe(cost);
  });

  it('derives a 32-byte key that depends on password and salt', async () => {
    const cost = { opslimit: 2, memlimit: 8 * 1024 * 1024 };
    const p = await newKdfParams(cost);
    const q = await newKdfParams(cost);
    expect(p.salt).not.toBe(q.salt);
    const a = await deriveKek('mot de passe', p);
    expect(a).toHaveLength(32);
    expect(Buffer.from(await deriveKek('mot de passe', p)).equals(Buffer.from(a))).toBe(true);
    expect(Buffer.from(await deriveKek('mot de passE', p)).equals(Buffer.from(a))).toBe(false);
    expect(Buffer.from(await deriveKek('mot de passe', q)).equals(Buffer.from(a))).toBe(false);
  });
});

describe('kdfFloor', () => {
  it('is MODERATE in the app; a test cost lowers it, never raises it; belowFloor compares passes and memory', async () => {
    const moderate = { opslimit: 3, memlimit: 256 * 1024 * 1024 };
    expect(await kdfFloor()).toEqual(moderate);
    expect(await kdfFloor({ opslimit: 2, memlimit: 8 * 1024 * 1024 })).toEqual({ opslimit: 2, memlimit: 8 * 1024 * 1024 });
    expect(await kdfFloor({ opslimit: 9, memlimit: 1024 * 1024 * 1024 })).toEqual(moderate);
    expect(belowFloor({ opslimit: 1, memlimit: 8192 }, moderate)).toBe(true);
    expect(belowFloor({ opslimit: 3, memlimit: 8192 }, moderate)).toBe(true);
    expect(belowFloor({ opslimit: 4, memlimit: 256 * 1024 * 1024 }, moderate)).toBe(false);
  });
});
