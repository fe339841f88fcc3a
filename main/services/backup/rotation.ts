/**
 * Which backups to keep (docs/backup.md "Rotation"): grandfather-father-son, as rsnapshot and restic's
 * `forget --keep-daily/--keep-weekly/--keep-monthly` do. A backup is kept when it is the newest of one of the
 * `daily` most recent days that have a backup, of one of the `weekly` most recent ISO weeks (Monday first), or of one
 * of the `monthly` most recent months. Days, weeks and months are UTC calendar units. The newest backup is always
 * kept. Pure: no clock, no disk.
 */

export interface RotationPolicy {
  daily: number;
  weekly: number;
  monthly: number;
}

/** Default: 7 daily, 4 weekly, 12 monthly. */
export const DEFAULT_ROTATION: RotationPolicy = { daily: 7, weekly: 4, monthly: 12 };

/** `YYYY-Www` of the ISO 8601 week holding `d` (UTC). */
export function isoWeek(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = (t.getUTCDay() + 6) % 7; // Monday = 0
  t.setUTCDate(t.getUTCDate() - day + 3); // the Thursday of this week names its year
  const year = t.getUTCFullYear();
  const week = 1 + Math.floor((t.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * Splits `items` into those to keep and those to delete.
 * @param items anything with a `createdAt` ISO 8601 date; order does not matter; an unparsable date is always kept
 *   (never delete what we cannot date).
 * @param policy counts ≥ 0 (non-integers are floored).
 */
export function rotate<T extends { createdAt: string }>(items: readonly T[], policy: RotationPolicy = DEFAULT_ROTATION): { keep: T[]; remove: T[] } {
  const dated = items.map((item) => ({ item, at: Date.parse(item.createdAt) }));
  const keep = new Set<T>(dated.filter((d) => Number.isNaN(d.at)).map((d) => d.item));
  const sorted = dated.filter((d) => !Number.isNaN(d.at)).sort((a, b) => b.at - a.at);
  if (sorted[0]) keep.add(sorted[0].item);
  const bucket = (count: number, key: (d: Date) => string) => {
    const seen = new Set<string>();
    for (const d of sorted) {
      if (seen.size >= Math.floor(count)) break;
      const k = key(new Date(d.at));
      if (seen.has(k)) continue;
      seen.add(k);
      keep.add(d.item);
    }
  };
  bucket(policy.daily, (d) => d.toISOString().slice(0, 10));
  bucket(policy.weekly, isoWeek);
  bucket(policy.monthly, (d) => d.toISOString().slice(0, 7));
  return { keep: items.filter((i) => keep.has(i)), remove: items.filter((i) => !keep.has(i)) };
}
