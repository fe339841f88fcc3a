/**
 * Channels that write decrypted data to a path named in the request, and the request field holding that path.
 * Every host applies the same rule to them (docs/electron.md "The IPC path", docs/testing.md "The browser host"):
 * the path must come from the person — a save dialog under Electron, the export folder chosen when the browser host
 * was started — never from the request alone, so that a forged request cannot drop a decrypted paper or database
 * copy anywhere on disk.
 */
export const WRITES_CHOSEN_PATH: Readonly<Partial<Record<string, 'path' | 'out'>>> = {
  'vault:exportDocument': 'path',
  'db:rawCopy': 'out',
};

/** The request field holding the path `channel` writes to, or `undefined` for any other name (own keys only). */
export function chosenPathField(channel: string): 'path' | 'out' | undefined {
  return Object.prototype.hasOwnProperty.call(WRITES_CHOSEN_PATH, channel) ? WRITES_CHOSEN_PATH[channel] : undefined;
}
