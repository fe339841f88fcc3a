/**
 * Who may read what one writes (périmètre de visibilité): everyone in the association, some groups, some users, or
 * only me. `groups` / `users` are null when the core refused to list them: then « Mes groupes » (the writer's own
 * groups) replaces the group choice, and the user choice is not offered.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Visibility } from '../../shared/domain/access';
import { GroupChecklist, type Choice } from './GroupChecklist';

type Kind = Visibility['kind'];

interface Props {
  value: Visibility;
  onChange(value: Visibility): void;
  groups: readonly Choice[] | null;
  users: readonly Choice[] | null;
  /** The writer's own groups (from the session), for the « Mes groupes » fallback. */
  myGroupIds: readonly string[];
  legend?: string;
  error?: string | null;
}

export function VisibilityPicker({ value, onChange, groups, users, myGroupIds, legend, error }: Props) {
  const { t } = useTranslation();
  const name = useId();
  const groupChoice = groups && groups.length > 0 ? 'list' : myGroupIds.length > 0 ? 'mine' : null;
  const kinds: Kind[] = ['everyone', ...(groupChoice ? (['groups'] as const) : []), ...(users && users.length > 0 ? (['users'] as const) : []), 'me'];

  function pick(kind: Kind) {
    if (kind === 'everyone' || kind === 'me') onChange({ kind });
    else if (kind === 'groups') onChange({ kind, groupIds: groupChoice === 'mine' ? [...myGroupIds] : [] });
    else onChange({ kind, userIds: [] });
  }
  const label = (k: Kind) => (k === 'groups' && groupChoice === 'mine' ? t('visibility.myGroups') : t(`visibility.kinds.${k}`));

  return (
    <fieldset className="inline-group choice-group visibility-picker">
      <legend>{legend ?? t('visibility.legend')}</legend>
      <div className="checklist">
        {kinds.map((k) => (
          <div className="check" key={k}>
            <input id={`${name}-${k}`} type="radio" name={name} checked={value.kind === k} onChange={() => pick(k)} />
            <label htmlFor={`${name}-${k}`}>{label(k)}</label>
          </div>
        ))}
      </div>
      {value.kind === 'groups' && groupChoice === 'list' && groups ? (
        <GroupChecklist
          className="choices"
          legend={t('visibility.whichGroups')}
          items={groups}
          selected={value.groupIds}
          onChange={(groupIds) => onChange({ kind: 'groups', groupIds })}
        />
      ) : null}
      {value.kind === 'users' && users ? (
        <GroupChecklist
          className="choices"
          legend={t('visibility.whichUsers')}
          items={users}
          selected={value.userIds}
          onChange={(userIds) => onChange({ kind: 'users', userIds })}
        />
      ) : null}
      {error ? <p className="field-error">{error}</p> : null}
    </fieldset>
  );
}
