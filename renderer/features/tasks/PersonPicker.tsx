/**
 * Choose the person a task is about: the shared people combobox (components/PersonCombobox) searching everyone
 * through `people:search`.
 */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { invoke } from '../../api/client';
import { PersonCombobox } from '../../components/PersonCombobox';

interface Props {
  /** Default: « Personne » as the task form names it. */
  label?: string;
  value: string | null;
  valueName: string | null;
  onChange(id: string | null, name: string | null): void;
}

export function PersonPicker({ label, value, valueName, onChange }: Props) {
  const { t } = useTranslation();
  const search = useCallback((query: string, limit: number) => invoke('people:search', { query, limit }), []);
  return <PersonCombobox label={label ?? t('tasks.fields.person')} value={value} valueName={valueName} onChange={(p) => onChange(p?.id ?? null, p?.name ?? null)} search={search} />;
}
