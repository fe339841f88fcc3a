/**
 * The groups and users the current user may choose from (memoised per session in renderer/api/directory.ts; the memo
 * is dropped and read again when the data version moves).
 */
import { useEffect, useState } from 'react';
import type { Visibility } from '../../../shared/domain/access';
import { loadDirectory, type Directory } from '../../api/directory';
import { useDataVersion } from '../../app/dataVersion';
import { useOpenSession } from '../../app/session';
import type { Choice } from '../../components/GroupChecklist';

export interface Choices {
  groups: Choice[] | null;
  /** Other users (never the writer: « Moi seul·e » says that). */
  users: Choice[] | null;
  myGroupIds: string[];
  /** Names by id for badges (groups and users, including the writer). */
  names: Map<string, string>;
}

export function useDirectory(): Choices {
  const session = useOpenSession();
  const [dir, setDir] = useState<Directory>({ groups: null, users: null });
  const version = useDataVersion();
  useEffect(() => {
    let alive = true;
    void loadDirectory().then((d) => alive && setDir(d));
    return () => {
      alive = false;
    };
  }, [version]);
  const names = new Map<string, string>();
  for (const g of dir.groups ?? []) names.set(g.id, g.name);
  for (const u of dir.users ?? []) names.set(u.id, u.displayName || u.name);
  names.set(session.user.id, session.user.displayName || session.user.name);
  return {
    groups: dir.groups?.map((g) => ({ id: g.id, name: g.name })) ?? null,
    users: dir.users?.filter((u) => u.id !== session.user.id).map((u) => ({ id: u.id, name: u.displayName || u.name })) ?? null,
    myGroupIds: session.user.groupIds,
    names,
  };
}

/** A short text for a visibility: « Tout le monde », group or user names, « Moi seul·e ». */
export function visibilityText(v: Visibility, names: Map<string, string>, t: (key: 'visibility.badge.everyone' | 'visibility.badge.me' | 'visibility.badge.unknown') => string): string {
  if (v.kind === 'everyone') return t('visibility.badge.everyone');
  if (v.kind === 'me') return t('visibility.badge.me');
  const ids = v.kind === 'groups' ? v.groupIds : v.userIds;
  return ids.map((id) => names.get(id) ?? t('visibility.badge.unknown')).join(', ');
}

/** False when a narrower choice has nobody in it (the core would refuse it anyway). */
export function visibilityComplete(v: Visibility): boolean {
  return v.kind === 'groups' ? v.groupIds.length > 0 : v.kind === 'users' ? v.userIds.length > 0 : true;
}
