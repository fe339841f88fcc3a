/**
 * The hub's refusals: an HTTP status, a stable code from the protocol (`HUB_ERROR_CODES`) and a French sentence the
 * device may show as is. Every error answer is `{ error: { code, message, serverTime } }` (shared/sync/protocol.ts).
 */
import type { HubErrorCode } from '../shared/sync/protocol';
import type { ZodError } from 'zod';

export class HubError extends Error {
  constructor(
    readonly status: number,
    readonly code: HubErrorCode,
    message: string,
    /** Extra response headers (e.g. `x-uploaded-bytes` on a blob offset conflict). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HubError';
  }
}

/** 400 BAD_REQUEST naming the first malformed field, e.g. `envelopes.3.ciphertext`; `prefix` goes before its path. */
export function badRequest(what: string, error: ZodError, prefix?: string): HubError {
  const issue = error.issues[0];
  const parts = [...(prefix ? [prefix] : []), ...(issue?.path ?? []).map(String)];
  const path = parts.length > 0 ? parts.join('.') : '(racine)';
  return new HubError(400, 'BAD_REQUEST', `Requête invalide (${what}) : champ « ${path} » ${issue ? `— ${issue.message}` : ''}`.trim());
}

export const notFound = (message = 'Introuvable.') => new HubError(404, 'NOT_FOUND', message);
export const forbidden = (message: string) => new HubError(403, 'FORBIDDEN', message);
