/**
 * Which folders can hold an association, checked before anything is created (docs/windows.md).
 *
 * Spaces, accents and non-Latin letters are fine everywhere (Node and SQLite take UTF-8 paths; on Windows both
 * convert to UTF-16). What Windows refuses or silently changes is refused here, in French, naming the part at fault:
 * - reserved device names as a folder name, with or without an extension (`CON`, `PRN`, `AUX`, `NUL`, `COM1`–`COM9`,
 *   `LPT1`–`LPT9`, and the superscript forms `COM¹`…): Windows opens the device instead of a folder;
 * - a name ending with a dot or a space: Windows drops them, so the folder made would not be the one typed;
 * - the characters `< > : " | ? *` and control characters in a name;
 * - a path so long that a paper of the vault would pass Windows's 259-character limit (MAX_PATH), which the SQLCipher
 *   engine and many backup tools still observe; elsewhere, a path whose database file would pass SQLite's own limit
 *   for Unix paths (MAX_PATHNAME, 512 bytes: SQLite then answers only "unable to open database file");
 * - any name longer than 255 bytes (the limit of common file systems, NTFS included).
 * On Windows every part of the path is checked; elsewhere only the association folder's own name is held to the
 * Windows rules (so that a copy can be restored on a Windows computer), plus the length of each name.
 */
import path from 'node:path';

/** Windows's path limit (MAX_PATH = 260 with the final NUL). */
export const WINDOWS_MAX_PATH = 259;
/** The longest path inside an association folder: `\vault\<2 hex>\<64 hex>` (main/vault/blobStore.ts). */
export const LONGEST_INSIDE = '\\vault\\ab\\'.length + 64;
/** The longest association folder path Windows can hold with its vault inside. */
export const WINDOWS_MAX_FOLDER = WINDOWS_MAX_PATH - LONGEST_INSIDE;
/** SQLite's Unix VFS limit on a database path (os_unix.c MAX_PATHNAME), in bytes. */
export const SQLITE_UNIX_MAX_PATH = 512;
/** The longest file SQLite opens beside the database: `/association.db-journal`. */
export const LONGEST_DB_FILE = '/association.db-journal'.length;
/** The longest association folder path (UTF-8 bytes) SQLite can open a database in, off Windows. */
export const UNIX_MAX_FOLDER_BYTES = SQLITE_UNIX_MAX_PATH - LONGEST_DB_FILE;

const RESERVED = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³]|conin\$|conout\$)(\..*)?$/i;
// Control characters (U+0000–U+001F) are refused by Windows in any name, like the seven printable ones.
const FORBIDDEN_CHARS = /[<>:"|?*\u0000-\u001f]/;

/**
 * Why `name` (one part of a path) cannot be a folder name on Windows, or null. A French sentence fragment that names
 * the part, e.g. `« CON » est un nom réservé par Windows`.
 */
export function windowsNameProblem(name: string): string | null {
  if (RESERVED.test(name)) return `« ${name} » est un nom réservé par Windows (comme CON, PRN, AUX, NUL, COM1 ou LPT1)`;
  if (/[. ]$/.test(name)) return `« ${name} » se termine par un point ou une espace, que Windows supprime`;
  const bad = FORBIDDEN_CHARS.exec(name);
  if (bad) return `« ${name} » contient le caractère ${bad[0] < ' ' ? 'de contrôle' : `« ${bad[0]} »`}, interdit par Windows`;
  return null;
}

/** The names of `dir` from its root, without the root itself (`C:\`, `\\server\share\`, `/`). */
function namesOf(dir: string, p: typeof path.posix): string[] {
  const { root } = p.parse(dir);
  return dir
    .slice(root.length)
    .split(/[\\/]+/)
    .filter((n) => n !== '' && n !== '.');
}

/**
 * Checks that `dir` (an absolute path typed or picked by the user) can hold an association on `platform`.
 * @returns null when it can, else a French message for the UI (names the part at fault and what to do).
 */
export function associationFolderProblem(dir: string, platform: NodeJS.Platform = process.platform): string | null {
  const windows = platform === 'win32';
  const p = windows ? path.win32 : path.posix;
  const names = namesOf(dir, p);
  const own = names.at(-1);
  if (!own) return `Le dossier « ${dir} » est la racine d'un disque : choisissez ou créez un dossier dedans.`;
  for (const name of names) {
    if (Buffer.byteLength(name, 'utf8') > 255) return `Le nom « ${name.slice(0, 40)}… » est trop long (plus de 255 octets) : raccourcissez-le.`;
  }
  for (const name of windows ? names : [own]) {
    const problem = windowsNameProblem(name);
    if (problem) return `Dossier impossible : ${problem}. Choisissez un autre nom, par exemple « Entraide.solidariciel ».`;
  }
  // Windows counts UTF-16 code units; a resolved path (`C:\…`) is what the engine will open.
  const full = windows ? p.resolve(dir) : dir;
  if (windows && full.length > WINDOWS_MAX_FOLDER) {
    return (
      `Le chemin du dossier est trop long pour Windows (${full.length} caractères, ${WINDOWS_MAX_FOLDER} au plus avec le coffre-fort) : ` +
      'choisissez un dossier plus près de la racine du disque, par exemple C:\\Associations\\Entraide.'
    );
  }
  const bytes = Buffer.byteLength(full, 'utf8');
  if (!windows && bytes > UNIX_MAX_FOLDER_BYTES) {
    return (
      `Le chemin du dossier est trop long pour le moteur de la base (${bytes} octets, ${UNIX_MAX_FOLDER_BYTES} au plus) : ` +
      'choisissez un dossier moins profond, par exemple dans votre dossier personnel.'
    );
  }
  return null;
}
