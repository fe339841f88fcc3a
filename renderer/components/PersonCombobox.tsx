/**
 * Choose one person among everyone: an editable combobox following the WAI-ARIA 1.2 combobox pattern
 * (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/, « list autocomplete »): an input with role=combobox,
 * aria-expanded, aria-controls and aria-activedescendant, and a listbox of options.
 * Keys: ↓/↑ open the list and move, Enter picks, Escape closes (a second Escape empties what was typed), Tab leaves.
 * Typing searches through `search` (the core's people search: everyone, not a preloaded page); the list shows the
 * first LIMIT matches and says how many more there are. The chosen person's name stays in the field; « Aucune
 * personne » clears it. Presentational: the caller passes `search`, no API call here.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonSummary } from '../../shared/domain/person';
import { formatDate } from '../app/format';

/** Matches asked for each search. */
export const LIMIT = 20;
const DEBOUNCE_MS = 150;

export interface PersonSearchResult {
  items: PersonSummary[];
  total: number;
  totalCapped?: boolean | undefined;
}

interface Props {
  label: string;
  /** The chosen person's id, or null. */
  value: string | null;
  /** Their name as shown (the caller keeps it with the id). */
  valueName: string | null;
  onChange(person: { id: string; name: string } | null): void;
  search(query: string, limit: number): Promise<PersonSearchResult>;
}

const nameOf = (p: { firstName: string; lastName: string }) => `${p.firstName} ${p.lastName}`.trim();

export function PersonCombobox({ label, value, valueName, onChange, search }: Props) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const listId = `${id}-list`;
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(valueName ?? '');
  const [query, setQuery] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState<PersonSearchResult>({ items: [], total: 0 });
  /** The query `result` answers (a newer one may be on its way). */
  const [resultFor, setResultFor] = useState<string | null>(null);
  const [active, setActive] = useState(-1);

  // The chosen person changed from outside (or was cleared): show their name.
  useEffect(() => setText(valueName ?? ''), [value, valueName]);

  useEffect(() => {
    if (query === null) return;
    let alive = true;
    const timer = window.setTimeout(() => {
      search(query, LIMIT)
        .then((r) => {
          if (!alive) return;
          setResult(r);
          setResultFor(query);
          setActive(r.items.length > 0 ? 0 : -1);
        })
        .catch(() => alive && setResult({ items: [], total: 0 }));
    }, DEBOUNCE_MS);
    return () => {
      alive = false;
      window.clearTimeout(timer);
    };
  }, [query, search]);

  const openWith = (q: string) => {
    setOpen(true);
    setQuery(q);
  };
  const close = () => {
    setOpen(false);
    setActive(-1);
    // Reopened later, the list shows nothing stale while the new search runs.
    setQuery(null);
    setResult({ items: [], total: 0 });
    setResultFor(null);
  };
  const pick = (p: PersonSummary) => {
    const name = nameOf(p) || t('people.noName');
    onChange({ id: p.id, name });
    setText(name);
    close();
  };
  const clear = () => {
    onChange(null);
    setText('');
    close();
    input.current?.focus();
  };

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    const n = result.items.length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) {
        // Opening from the chosen name searches everyone, not that one name.
        openWith(value && text === (valueName ?? '') ? '' : text);
        return;
      }
      if (n > 0) setActive((a) => (e.key === 'ArrowDown' ? (a + 1) % n : (a - 1 + n) % n));
    } else if (e.key === 'Enter') {
      // While the list is open, Enter belongs to it: it never submits the form around.
      if (open) e.preventDefault();
      if (open && active >= 0 && result.items[active]) pick(result.items[active]);
    } else if (e.key === 'Escape') {
      if (open) {
        e.preventDefault();
        e.stopPropagation(); // a dialog or form around must not close too
        close();
      } else if (text !== (valueName ?? '')) {
        e.preventDefault();
        e.stopPropagation();
        setText(valueName ?? '');
      }
    }
  }

  const more = result.totalCapped || result.total > result.items.length;
  const status =
    query === null || resultFor !== query ? '' : result.items.length === 0 ? t('combobox.none') : more ? t('combobox.more', { count: result.items.length, total: result.totalCapped ? `${result.total}+` : result.total }) : t('combobox.count', { count: result.items.length });
  const activeId = open && active >= 0 ? `${id}-opt-${active}` : undefined;
  return (
    <div className="field person-combobox">
      <label htmlFor={id}>{label}</label>
      <div className="combobox-row">
        <input
          ref={input}
          id={id}
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={activeId}
          aria-describedby={`${id}-hint`}
          autoComplete="off"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            openWith(e.target.value);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => {
            close();
            setText(valueName ?? '');
          }}
        />
        {value ? (
          <button type="button" className="button secondary" onClick={clear}>
            {t('combobox.clearPerson')}
          </button>
        ) : null}
        <div className="combobox-popup" hidden={!open}>
          <ul id={listId} role="listbox" aria-label={label} className="combobox-list" hidden={result.items.length === 0}>
            {result.items.map((p, i) => (
              <li
                key={p.id}
                id={`${id}-opt-${i}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : undefined}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(p)}
              >
                <span className="option-name">{nameOf(p) || t('people.noName')}</span>
                {p.birthDate ? <span className="muted"> · {t('people.bornOn', { date: formatDate(p.birthDate, i18n.language) })}</span> : null}
                {p.email ? <span className="muted"> · {p.email}</span> : null}
              </li>
            ))}
          </ul>
          <p className="combobox-status" aria-hidden="true">
            {status}
          </p>
        </div>
      </div>
      <span id={`${id}-hint`} className="field-hint">
        {value ? t('combobox.chosen', { name: valueName ?? '' }) : t('combobox.nobody')}
      </span>
      <span className="visually-hidden" role="status">
        {open ? status : ''}
      </span>
    </div>
  );
}
