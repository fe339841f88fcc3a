/**
 * What the core needs from the operating system, as small interfaces so that the same services run under Electron,
 * the CLI and the browser host (DESIGN.md "Processes"). Core code never imports `electron`.
 */

/** Non-secret preferences (recent association folders, language). Never secrets or personal data. */
export interface Preferences {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/** The clock, injectable for tests. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
