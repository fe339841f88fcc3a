/**
 * How a paper is named for people: the viewer's title (« Carte d’identité — DUPONT Marie ») and the file name of an
 * exported copy (`DUPONT_Marie_carte-identite_2026-12-06.pdf`). Pure: used by the core (export, download) and the
 * renderer (title). docs/ui.md "The viewer".
 */
import type { DocumentType } from './document';

/** The person as papers name them: last name in capitals, then first name (« DUPONT Marie »). */
export function personPaperName(person: { firstName: string; lastName: string }): string {
  return [person.lastName.trim().toLocaleUpperCase('fr-FR'), person.firstName.trim()].filter(Boolean).join(' ');
}

/** The calendar day (yyyy-mm-dd) of an instant in this computer's time zone: a paper added at 00:30 in Paris is of that day. */
export function localDayOf(instant: string): string {
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return instant.slice(0, 10);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** Longest exported file name, in characters (well under the 255 of NTFS and ext4, leaving room for a folder). */
export const MAX_PAPER_FILE_NAME = 120;

// Windows refuses `< > : " / \ | ? *` and control characters in a name (main/fs/folderName.ts lists its rules).
const UNSAFE = /[<>:"/\\|?*\u0000-\u001f\u007f]+/g;

/** One part of a file name: unsafe characters and blanks become `-`, no leading or trailing `-`, `.` or space. */
function part(text: string): string {
  return text
    .normalize('NFC')
    .replace(UNSAFE, '-')
    .replace(/\s+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-. ]+|[-. ]+$/g, '');
}

/**
 * The file name of an exported paper: `LASTNAME_Firstname_type_yyyy-mm-dd.pdf`, e.g.
 * `DUPONT_Marie_carte-identite_2026-12-06.pdf` (type id with `-` for `_`; `date` is an ISO day — callers pass the
 * local day the paper was added, `localDayOf` — or an instant, whose first 10 characters are used). Safe on Windows: no forbidden character, no trailing dot or space, never a reserved
 * device name (the type and date always follow the names, so `CON_…` is not `CON`), at most MAX_PAPER_FILE_NAME characters (the names are shortened first, never the type or the date).
 * Accents are kept (Windows and every current file system take them). Never throws.
 */
export function paperFileName(person: { firstName: string; lastName: string }, type: DocumentType, date: string): string {
  const tail = `_${type.replace(/_/g, '-')}_${date.slice(0, 10)}.pdf`;
  let names = [part(person.lastName.toLocaleUpperCase('fr-FR')), part(person.firstName)].filter(Boolean).join('_');
  const room = MAX_PAPER_FILE_NAME - tail.length;
  const chars = Array.from(names); // code points: a cut never splits a surrogate pair
  if (chars.length > room) names = chars.slice(0, room).join('').replace(/[-._ ]+$/, '');
  return `${names || 'piece'}${tail}`;
}
