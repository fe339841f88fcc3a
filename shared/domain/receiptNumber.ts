/**
 * Tax receipt numbers (« numéro d'ordre du reçu », CERFA n° 11580*05), gap-free and unique without a network
 * (docs/treasury.md "Numbering"). The form asks for an order number from a continuous series; French practice
 * accepts distinct series for distinct places of issue, and each PC is a place of issue with its own series per
 * year (an interpretation, listed in docs/treasury.md):
 *
 *   `YYYY-SSSSSSSS-NNNN`  e.g. `2026-K7QMX2AB-0007`
 *
 * - `YYYY` the civil year of issue; the counter starts again at 1 each year;
 * - `SSSSSSSS` the series code of the issuing device: 8 characters of Crockford's base32 (no I, L, O, U) derived from
 *   the device id (`meta.device_id`, a UUIDv7). A device that would take a code another device already holds takes
 *   the next derivation (`attempt` + 1); see `seriesCode`;
 * - `NNNN` the sequence in the series, at least 4 digits (`0007`, then `10000` past 9999).
 */

/** Crockford's base32 alphabet: digits and letters without I, L, O, U (no misreading on paper). */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const SERIES_LENGTH = 8;

/** FNV-1a 64-bit over the UTF-16 code units of `text` (deterministic, the same on every device and version). */
function fnv1a64(text: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h;
}

/**
 * The series code of device `deviceId` at derivation `attempt` (0 first): 8 base32 characters of a hash of the id
 * (40 bits: two PCs that never synced share a code with a chance of about 4 in 10^11 for 10 PCs). Pure: every device
 * computes the same code for the same device.
 */
export function seriesCode(deviceId: string, attempt = 0): string {
  let h = fnv1a64(`solidariciel/receipt-series/${attempt}/${deviceId}`);
  let out = '';
  for (let i = 0; i < SERIES_LENGTH; i++) {
    out += ALPHABET[Number(h & 31n)];
    h >>= 5n;
  }
  return out;
}

export interface ReceiptNumber {
  year: number;
  series: string;
  seq: number;
}

/** `{2026, 'K7QMX2AB', 7}` → `2026-K7QMX2AB-0007`. Throws RangeError on a year outside 1000–9999 or seq < 1. */
export function formatReceiptNumber(n: ReceiptNumber): string {
  if (!Number.isInteger(n.year) || n.year < 1000 || n.year > 9999) throw new RangeError(`année invalide : ${n.year}`);
  if (!Number.isSafeInteger(n.seq) || n.seq < 1) throw new RangeError(`numéro d'ordre invalide : ${n.seq}`);
  return `${n.year}-${n.series}-${String(n.seq).padStart(4, '0')}`;
}

const NUMBER_RE = new RegExp(`^(\\d{4})-([${ALPHABET}]{${SERIES_LENGTH}})-(\\d{4,})$`);

/** The parts of a receipt number, or null when `text` is not one (spaces around and lower case accepted). */
export function parseReceiptNumber(text: string): ReceiptNumber | null {
  const m = NUMBER_RE.exec(text.trim().toUpperCase());
  if (!m) return null;
  const seq = Number(m[3]);
  if (!Number.isSafeInteger(seq) || seq < 1 || (m[3]!.length > 4 && m[3]!.startsWith('0'))) return null;
  return { year: Number(m[1]), series: m[2]!, seq };
}
