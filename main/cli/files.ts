/** Files the CLI writes (exports, PDFs, calendars). */
import { writeFile } from 'node:fs/promises';
import { CliFailure } from './context';

/**
 * Writes `data` to a new file at `path` (mode 0600: it holds what the user could read in the app), never over an
 * existing one: an export must not replace another file by mistake.
 * @throws CliFailure naming the file when it exists (EEXIST) or cannot be written (the system's code).
 */
export async function writeNewFile(path: string, data: Uint8Array | string): Promise<void> {
  await writeFile(path, data, { flag: 'wx', mode: 0o600 }).catch((e: NodeJS.ErrnoException) => {
    throw new CliFailure(e.code === 'EEXIST' ? `Le fichier ${path} existe déjà : choisissez un autre nom (rien n’est écrasé).` : `Impossible d’écrire ${path} (${e.code ?? 'erreur'}).`);
  });
}
