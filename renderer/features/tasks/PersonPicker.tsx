/** Choose the person a task is about: a search field narrowing a select (keyboard-friendly, no custom widget). */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonSummary } from '../../../shared/domain/person';
import { invoke } from '../../api/client';
import { SelectField, TextField } from '../../components/Field';
import { fullName } from '../people/names';

interface Props {
  value: string | null;
  valueName: string | null;
  onChange(id: string | null, name: string | null): void;
}

export function PersonPicker({ value, valueName, onChange }: Props) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [items, setItems] = useState<PersonSummary[]>([]);

  useEffect(() => {
    let alive = true;
    const timer = window.setTimeout(() => {
      invoke('people:search', { query, limit: 30 })
        .then((r) => alive && setItems(r.items))
        .catch(() => undefined);
    }, 150);
    return () => {
      alive = false;
      window.clearTimeout(timer);
    };
  }, [query]);

  const options = items.filter((p) => p.id !== value);
  return (
    <div className="person-picker grid-2">
      <TextField label={t('tasks.fields.personSearch')} type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />
      <SelectField
        label={t('tasks.fields.person')}
        value={value ?? ''}
        onChange={(e) => {
          const id = e.target.value || null;
          const p = items.find((x) => x.id === id);
          onChange(id, p ? fullName(p) : null);
        }}
      >
        <option value="">{t('tasks.noPerson')}</option>
        {value ? <option value={value}>{valueName ?? value}</option> : null}
        {options.map((p) => (
          <option key={p.id} value={p.id}>
            {fullName(p) || t('people.noName')}
            {p.birthDate ? ` (${p.birthDate})` : ''}
          </option>
        ))}
      </SelectField>
    </div>
  );
}
