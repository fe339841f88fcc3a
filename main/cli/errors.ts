/** CLI failures: a usage error exits 2, anything else 1; both print one French sentence on stderr, no stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export class CliFailure extends Error {
  override readonly name = 'CliFailure';
}
