/**
 * What the users page needs: users, pending requests, roles and groups, reloaded together after each change and when
 * the data version moves.
 */
import { useCallback, useEffect, useState } from 'react';
import { DEFAULT_ROLES, type Group } from '../../../shared/domain/access';
import type { AccountRequest, User } from '../../../shared/domain/user';
import { errorMessage, invoke } from '../../api/client';
import { forgetDirectory } from '../../api/directory';
import { useDataVersion } from '../../app/dataVersion';

export interface UsersData {
  users: User[];
  requests: AccountRequest[];
  roles: { id: string; name: string }[];
  groups: Group[];
}

export function useUsersData() {
  const [data, setData] = useState<UsersData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const version = useDataVersion();

  const reload = useCallback(async () => {
    forgetDirectory();
    try {
      const [users, requests, roles, groups] = await Promise.all([
        invoke('users:list', {}),
        invoke('users:requests', {}).catch(() => ({ items: [] })),
        // Without `roles.manage` the list may be refused: the default roles still name the choices.
        invoke('roles:list', {}).catch(() => ({ items: DEFAULT_ROLES.map((r) => ({ id: r.id, name: r.name })) })),
        invoke('groups:list', {}).catch(() => ({ items: [] as Group[] })),
      ]);
      setData({ users: users.items, requests: requests.items, roles: roles.items, groups: groups.items });
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload, version]);
  return { data, error, reload };
}
