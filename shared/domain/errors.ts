/**
 * Stable error codes that cross IPC, the browser host and the CLI as `{ ok: false, error: { code, message } }`.
 * Codes never change meaning; messages are French sentences meant for the person at the desk.
 */
export const ERROR_CODES = [
  'VALIDATION', // a request or a field is malformed; message names the field
  'WRONG_CREDENTIALS', // unknown user or wrong password (one code for both, on purpose)
  'LOCKED', // the association is locked: unlock first
  'NOT_FOUND',
  'FORBIDDEN', // the current user lacks a right
  'ALREADY_EXISTS',
  'DB_NEWER_VERSION', // the database was written by a newer Solidariciel
  'SQLCIPHER_MISSING', // the SQLite build cannot encrypt: refuse to run
  'NOT_AN_ASSOCIATION', // the folder holds no association or a damaged keyring
  'VAULT_CORRUPT', // a vault blob is tampered, truncated or missing
  'IMPORT_UNREADABLE', // an imported file cannot be read at all
  'UNSUPPORTED', // the host cannot do this (e.g. a native dialog in the browser host)
  'TOO_MANY_ATTEMPTS', // failed unlocks: wait before the next try (the message says how long)
  'PENDING_APPROVAL', // an account requested on this PC, not approved yet
  'AUDIT_BROKEN', // the audit trail's chain does not verify
  'HUB_UNREACHABLE', // no answer from the hub (offline, wrong address): local work goes on
  'HUB_REFUSED', // the hub answered with an error (message names it: revoked device, bad request…)
  'CLOCK_SKEW', // this PC's clock is more than 5 minutes off the hub's: sync stops until it is set right
  'SYNC_NOT_CONFIGURED', // no hub joined yet
  'INVITE_INVALID', // wrong, expired, used or burnt pairing code (message says which)
  'SYNC_REJECTED', // a received envelope or blob failed its checks (tampered, truncated, replayed, unknown device)
  'LEGAL_HOLD', // an erasure refused while a legal hold applies (message names the hold)
  'SCANNER', // a scanner did not answer or refused (busy, empty feeder, jam…): the message says what to do
  'FILE_BUSY', // a file stayed held by another program (antivirus, backup, indexer) through the retries: try again
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error the services throw on purpose: its message is safe to show and holds no personal data beyond what the user typed. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/**
 * A refused field of a VALIDATION error: `path` as in the request (`person.lastName`), `message` in French to show next
 * to it (shared/domain/validation.ts). Forms map it back onto their field.
 */
export interface FieldError {
  path: string;
  message: string;
}

/** What crosses IPC when something fails: `fields` only on VALIDATION errors that name fields. */
export interface WireError {
  code: ErrorCode;
  message: string;
  fields?: FieldError[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: WireError };
