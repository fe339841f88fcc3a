/**
 * JSON encoding for the browser host: Uint8Array values travel as `{ "$b64": "<base64>" }`.
 * (Electron IPC uses structured clone and needs none of this.)
 */

// Both browsers and Node ≥ 16 have these globals; shared/ compiles without DOM or Node types, so declare them here.
declare function btoa(data: string): string;
declare function atob(data: string): string;

const B64 = '$b64';

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** JSON.stringify with byte arrays encoded. */
export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? { [B64]: toBase64(v) } : v));
}

/** JSON.parse with byte arrays decoded. Throws SyntaxError on malformed JSON. */
export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const b = (v as Record<string, unknown>)[B64];
      if (keys.length === 1 && typeof b === 'string') return fromBase64(b);
    }
    return v;
  });
}
