/** "Cette personne existe peut-être déjà": the possible matches, each a link, and an explicit "Créer quand même". */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonSummary } from '../../../shared/domain/person';
import { formatDate } from '../../app/format';
import { fullName, KindBadges } from './names';

interface Props {
  matches: PersonSummary[];
  onOpen(id: string): void;
  onCreateAnyway(): void;
  onCancel(): void;
  busy: boolean;
}

export function DuplicateWarning({ matches, onOpen, onCreateAnyway, onCancel, busy }: Props) {
  const { t, i18n } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="duplicate-warning" aria-labelledby="duplicate-title" data-testid="duplicate-warning">
      <h2 id="duplicate-title" ref={heading} tabIndex={-1}>
        {t('person.duplicates.title')}
      </h2>
      <p>{t('person.duplicates.intro', { count: matches.length })}</p>
      <ul className="duplicate-list">
        {matches.map((m) => (
          <li key={m.id}>
            <button type="button" className="link-button" onClick={() => onOpen(m.id)}>
              {fullName(m) || t('people.noName')}
            </button>
            {m.birthDate ? <span> · {t('people.bornOn', { date: formatDate(m.birthDate, i18n.language) })}</span> : null}
            {m.email ? <span> · {m.email}</span> : null}
            {m.phone ? <span> · {m.phone}</span> : null} <KindBadges kinds={m.kinds} archived={m.archived} />
          </li>
        ))}
      </ul>
      <div className="actions">
        <button type="button" className="button warning" onClick={onCreateAnyway} disabled={busy}>
          {t('person.duplicates.createAnyway')}
        </button>
        <button type="button" className="button secondary" onClick={onCancel}>
          {t('person.duplicates.cancel')}
        </button>
      </div>
    </section>
  );
}
