/**
 * The sub-navigation of « Bénévolat » (docs/ui.md « Header »): « Visites », « Bénévoles », « Cercles », « Mon
 * engagement » share one item of the header's navigation; each of their screens opens with this list of the ones
 * the session may open, the current one marked (aria-current). Nothing when there is only one.
 */
import { useTranslation } from 'react-i18next';
import { useRouter } from '../../app/router';
import { useOpenSession } from '../../app/session';
import { volunteeringSections, type VolunteeringSection } from '../shell/sections';

export function VolunteeringNav({ current }: { current: VolunteeringSection }) {
  const { t } = useTranslation();
  const { navigate } = useRouter();
  const session = useOpenSession();
  const items = volunteeringSections(session.permissions);
  if (items.length < 2) return null;
  return (
    <nav aria-label={t('nav.volunteering')} className="sub-nav">
      <ul>
        {items.map((s) => (
          <li key={s}>
            <button type="button" className="sub-nav-item" aria-current={s === current ? 'page' : undefined} onClick={() => (s === current ? undefined : navigate({ name: s }))}>
              {t(`nav.${s}`)}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
