/**
 * A folder only its owner controls: what the browser host requires of the folders it writes in (its preferences,
 * the export folder), so that another local OS user can neither plant links there nor swap files
 * (docs/threat-model.md, "Another local OS user").
 */
import { lstatSync, mkdirSync } from 'node:fs';

export interface PrivateFolderRules {
  /** How the folder is named in the message, e.g. « Dossier des préférences ». */
  label: string;
  /** What to do instead, appended to the message, e.g. « Indiquez un dossier personnel (--prefs). ». */
  hint: string;
  /** The uid that must own it; defaults to the current user's (`process.getuid()`). Not checked on Windows. */
  owner?: number;
}

/**
 * Creates `folder` (and its parents) with mode 0700 if absent, then checks that it is a directory, not a symbolic
 * link, owned by `rules.owner` and not writable by group or others (a sticky world-writable folder such as /tmp is
 * refused too). On Windows only the creation is done: ownership and modes are ACLs there.
 * @throws Error with a French message naming the folder and what is wrong.
 */
export function ensurePrivateFolder(folder: string, rules: PrivateFolderRules): void {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  const owner = rules.owner ?? process.getuid?.();
  const stat = lstatSync(folder);
  const refuse = (why: string): never => {
    throw new Error(`${rules.label} « ${folder} » refusé : ${why}. ${rules.hint}`);
  };
  if (stat.isSymbolicLink()) refuse("c'est un lien symbolique");
  if (!stat.isDirectory()) refuse("ce n'est pas un dossier");
  if (owner !== undefined && stat.uid !== owner) refuse(`il appartient à un autre utilisateur (uid ${stat.uid})`);
  if ((stat.mode & 0o022) !== 0) refuse(`il est modifiable par d'autres utilisateurs (droits ${(stat.mode & 0o7777).toString(8)})`);
}
