/**
 * The browser host's token, on the page side (docs/testing.md "The browser host"). The host never serves it to whoever
 * asks: the URL it printed carries a one-time code in its fragment (`…/#code=<code>`, which a browser never sends to
 * the server); the first load exchanges that code on `POST /api/session/claim` for the token, removes it from the
 * address bar, and keeps the token in sessionStorage — this tab and this origin (port included) only — for reloads.
 * Used by renderer/api/client.ts only, and only when there is no Electron bridge.
 */
import type { Envelope } from '../../shared/contract';
import { decodeWire } from '../../shared/contract/wire';

const STORAGE_KEY = 'solidariciel-host-token';
const CODE_HEADER = 'x-solidariciel-launch-code';

let pending: Promise<string> | null = null;

/** The token for `x-solidariciel-token` (claimed once per page load, then cached); '' when the page has none. */
export function hostToken(): Promise<string> {
  pending ??= resolveToken();
  return pending;
}

async function resolveToken(): Promise<string> {
  const code = new URLSearchParams(window.location.hash.slice(1)).get('code');
  if (code) {
    // Out of the address bar and the history at once: after this exchange the code is worth nothing anyway.
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}`);
    const token = await claim(code);
    if (token) {
      try {
        window.sessionStorage.setItem(STORAGE_KEY, token);
      } catch {
        // Storage refused (private mode quotas): the token still serves this page until it is reloaded.
      }
      return token;
    }
  }
  try {
    return window.sessionStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

/** Exchanges the launch code for the token; null when the host refuses it (already used, wrong) or is unreachable. */
async function claim(code: string): Promise<string | null> {
  try {
    const response = await fetch('/api/session/claim', { method: 'POST', headers: { [CODE_HEADER]: code } });
    if (!response.ok) return null;
    const envelope = decodeWire(await response.text()) as Envelope<{ token?: unknown }>;
    return envelope.ok && typeof envelope.value.token === 'string' ? envelope.value.token : null;
  } catch {
    return null;
  }
}
