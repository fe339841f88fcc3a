/** The association folders recently opened on this computer (preferences: folder paths and names only). */
import type { Preferences } from './ports';

const KEY = 'recentAssociations';
const MAX = 8;

export class RecentAssociations {
  constructor(private readonly prefs: Preferences) {}

  list(): { dir: string; name: string }[] {
    const v = this.prefs.get(KEY);
    if (!Array.isArray(v)) return [];
    return v.filter((x): x is { dir: string; name: string } => !!x && typeof x.dir === 'string' && typeof x.name === 'string').slice(0, MAX);
  }

  remember(dir: string, name: string): void {
    this.prefs.set(KEY, [{ dir, name }, ...this.list().filter((x) => x.dir !== dir)].slice(0, MAX));
  }
}
