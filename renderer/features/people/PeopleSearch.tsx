/**
 * People, search first: a big field focused on arrival, results as you type (debounced 120 ms), ↓/↑ to move,
 * Enter to open (ARIA combobox + listbox, focus stays in the field). The results are read again when the data version
 * moves (a sync brought changes, « Personnes » clicked again): the text typed and the selected person stay, and the
 * count is announced only when it changed. Below, the papers whose recognised text holds the words (PaperTextResults).
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonSummary } from '../../../shared/domain/person';
import { prefillFromQuery } from '../../../shared/domain/searchQuery';
import { errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useDataVersion } from '../../app/dataVersion';
import { formatDate } from '../../app/format';
import { useRouter } from '../../app/router';
import { useCan } from '../../app/session';
import { ErrorAlert } from '../../components/Alert';
import { CheckboxField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { fullName, KindBadges } from './names';
import { StatusBadge, useDuesStatuses } from '../treasury/dues/DuesStatusBadge';
import { PaperTextResults } from '../vault/PaperTextResults';
import './people.css';

const DEBOUNCE_MS = 120;

export function PeopleSearch() {
  const { t, i18n } = useTranslation();
  const { navigate } = useRouter();
  const { announce } = useAnnouncer();
  const can = useCan();
  const [query, setQuery] = useState('');
  const [includeArchived, setIncludeArchived] = useState(false);
  const [items, setItems] = useState<PersonSummary[] | null>(null);
  const [total, setTotal] = useState({ count: 0, countLabel: '0' });
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const version = useDataVersion();
  const seq = useRef(0);
  /** What the shown results answer and their count as announced, and the selected person (kept across a reload). */
  const shown = useRef<{ search: string; announced: string; activeId: string | undefined }>({ search: '', announced: '', activeId: undefined });

  useEffect(() => {
    const mine = ++seq.current;
    const search = JSON.stringify([query, includeArchived]);
    const timer = window.setTimeout(() => {
      invoke('people:search', { query, includeArchived, limit: 50 })
        .then((r) => {
          if (mine !== seq.current) return;
          // The same search read again: the selected person stays selected if still there.
          const again = search === shown.current.search;
          const keep = again ? r.items.findIndex((p) => p.id === shown.current.activeId) : -1;
          setItems(r.items);
          // Totals are capped by the core (very common terms): "1000+" rather than an exact count.
          const counted = { count: r.total, countLabel: r.totalCapped ? `${r.total}+` : String(r.total) };
          setTotal(counted);
          setActive(Math.max(0, keep));
          setError(null);
          const text = t('people.found', counted);
          if (!again || text !== shown.current.announced) announce(text);
          shown.current = { ...shown.current, search, announced: text };
        })
        .catch((e: unknown) => mine === seq.current && setError(errorMessage(e)));
    }, DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [query, includeArchived, version, announce, t]);

  const list = items ?? [];
  // The dues status of the members shown (people.readMembership or treasury.read; docs/treasury.md).
  const dues = useDuesStatuses(list.map((p) => p.id));
  const current = list[active];
  useEffect(() => {
    shown.current.activeId = current?.id;
  }, [current]);

  useEffect(() => {
    if (current) document.getElementById(`person-option-${current.id}`)?.scrollIntoView({ block: 'nearest' });
  }, [current]);

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(a + 1, list.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter' && current) {
      e.preventDefault();
      navigate({ name: 'person', id: current.id });
    } else if (e.key === 'Escape') {
      setQuery('');
    }
  }

  // Creating people needs `people.write` (a volunteer only reads the people of their groups). After a search that
  // found no one, the new person starts with what was typed (names, birth date).
  const found = items !== null && list.length === 0 && query.trim() !== '' ? 'none' : 'some';
  const newPerson = can('people.write') ? (
    <button type="button" className="button primary" onClick={() => navigate(found === 'none' ? { name: 'personNew', prefill: prefillFromQuery(query) } : { name: 'personNew' })}>
      {t('people.new')}
    </button>
  ) : null;

  return (
    <div className="people-search">
      <PageHeader title={t('people.title')} actions={newPerson} />
      <div className="search-box">
        <label htmlFor="people-search" className="search-label">
          {t('people.searchLabel')}
        </label>
        <input
          id="people-search"
          className="search-input"
          type="search"
          role="combobox"
          autoFocus
          autoComplete="off"
          spellCheck={false}
          value={query}
          placeholder={t('people.searchPlaceholder')}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onKeyDown}
          aria-expanded={list.length > 0}
          aria-controls={list.length > 0 ? 'people-results' : undefined}
          aria-autocomplete="list"
          aria-activedescendant={current ? `person-option-${current.id}` : undefined}
          aria-describedby="people-search-hint"
        />
        <p id="people-search-hint" className="field-hint">
          {t('people.searchHint')}
        </p>
        <CheckboxField label={t('people.includeArchived')} checked={includeArchived} onChange={(e) => setIncludeArchived(e.target.checked)} />
      </div>
      <ErrorAlert>{error}</ErrorAlert>
      {items !== null ? (
        <p className="result-count" aria-hidden="true">
          {total.count > list.length ? t('people.shownOf', { shown: list.length, ...total }) : t('people.found', total)}
        </p>
      ) : null}
      {list.length > 0 ? (
      <ul id="people-results" role="listbox" aria-label={t('people.resultsLabel')} className="results">
        {list.map((p, i) => (
          <li
            key={p.id}
            id={`person-option-${p.id}`}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'result active' : 'result'}
            onMouseMove={() => setActive(i)}
            onClick={() => navigate({ name: 'person', id: p.id })}
          >
            <span className="result-name">{fullName(p) || t('people.noName')}</span>
            <span className="result-birth">{p.birthDate ? t('people.bornOn', { date: formatDate(p.birthDate, i18n.language) }) : ''}</span>
            <KindBadges kinds={p.kinds} archived={p.archived} />
            {dues.get(p.id) && p.kinds.includes('member') ? <StatusBadge status={dues.get(p.id)!.status} /> : null}
            <span className="result-contact">
              {p.email ? <span>{p.email}</span> : null}
              {p.phone ? <span>{p.phone}</span> : null}
            </span>
            <span className="result-number">{p.memberNumber ? t('people.memberNumberShort', { number: p.memberNumber }) : ''}</span>
          </li>
        ))}
      </ul>
      ) : null}
      {items !== null && list.length === 0 ? (
        <div className="empty">
          <p>{query ? t('people.noMatch', { query }) : t('people.empty')}</p>
          {newPerson}
        </div>
      ) : null}
      <PaperTextResults query={query} />
    </div>
  );
}
