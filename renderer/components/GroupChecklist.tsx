/** A fieldset of checkboxes to choose groups (or users): the legend names the choice, each box names one item. */
import { useTranslation } from 'react-i18next';
import { CheckboxField } from './Field';

export interface Choice {
  id: string;
  name: string;
}

interface Props {
  legend: string;
  items: readonly Choice[];
  selected: readonly string[];
  onChange(ids: string[]): void;
  /** Shown when there is nothing to choose from. */
  emptyText?: string;
  error?: string | null;
  className?: string;
  /** The legend is read by screen readers only (a visible heading already names the choice). */
  hideLegend?: boolean;
}

export function GroupChecklist({ legend, items, selected, onChange, emptyText, error, className, hideLegend }: Props) {
  const { t } = useTranslation();
  const toggle = (id: string, on: boolean) => onChange(on ? [...selected, id] : selected.filter((s) => s !== id));
  return (
    <fieldset className={`inline-group choice-group ${className ?? ''}`}>
      <legend className={hideLegend ? 'visually-hidden' : undefined}>{legend}</legend>
      {items.length === 0 ? <p className="muted">{emptyText ?? t('groups.none')}</p> : null}
      <div className="checklist">
        {items.map((g) => (
          <CheckboxField key={g.id} label={g.name} checked={selected.includes(g.id)} onChange={(e) => toggle(g.id, e.target.checked)} />
        ))}
      </div>
      {error ? <p className="field-error">{error}</p> : null}
    </fieldset>
  );
}
