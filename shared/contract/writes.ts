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

/**
 * Channels that create or fill a folder named in the request, and the request field holding it: the backup
 * destination (`backup:setDestination`, `backup:now`) and the folder a backup is restored into (`backup:restore`).
 * The browser host accepts only a plain-named folder directly inside its `--export-dir` folder, new or already a
 * real folder (never a link), so that a forged request cannot create folders or drop an encrypted copy anywhere
 * (docs/threat-model.md §3, docs/backup.md "Browser host"). An absent field (`backup:now` without `to`) passes: the
 * destination saved on this PC is used.
 */
export const WRITES_CHOSEN_FOLDER: Readonly<Partial<Record<string, 'to' | 'into'>>> = {
  'backup:setDestination': 'to',
  'backup:now': 'to',
  'backup:restore': 'into',
};

/** The request field holding the folder `channel` writes into, or `undefined` for any other name (own keys only). */
export function chosenFolderField(channel: string): 'to' | 'into' | undefined {
  return Object.prototype.hasOwnProperty.call(WRITES_CHOSEN_FOLDER, channel) ? WRITES_CHOSEN_FOLDER[channel] : undefined;
}
