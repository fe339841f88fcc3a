/**
 * « Baisse des contacts »: the accompanied people whose contacts dropped against their own rhythm (docs/messages.md
 * "Contact-drop alert"), each explained in plain words and opening the person's page. Shown to users with
 * `contacts.alerts` and to circle coordinators; absent for everyone else (the core refuses them).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactDrop } from '../../../shared/domain/contactDrop';
import { invoke } from '../../api/client';
import { useDataVersion } from '../../app/dataVersion';
import { useRouter } from '../../app/router';

export function ContactDropPanel() {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const version = useDataVersion();
  const [items, setItems] = useState<ContactDrop[] | null>(null);

  useEffect(() => {
    let alive = true;
    void invoke('contacts:drops', {}).then(
      (r) => alive && setItems(r.items),
      () => alive && setItems(null),
    );
    return () => {
      alive = false;
    };
  }, [version]);

  if (!items || items.length === 0) return null;
  return (
    <section className="contact-drops" aria-labelledby="contact-drops-title" data-testid="contact-drops">
      <h2 id="contact-drops-title">{t('contactDrop.title', { count: items.length })}</h2>
      <ul>
        {items.map((d) => (
          <li key={d.personId}>
            <button type="button" className="link-button" onClick={() => navigate({ name: 'person', id: d.personId })}>
              {d.name}
            </button>{' '}
            — {d.explanation}
          </li>
        ))}
      </ul>
    </section>
  );
}
