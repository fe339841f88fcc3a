/** How people are named and labelled in lists and headings. */
import { useTranslation } from 'react-i18next';
import type { PersonKind } from '../../../shared/domain/person';
import { Badge } from '../../components/Badge';

/** "Hélène Diallo"; empty when both names are empty (callers show a placeholder). */
export function fullName(p: { firstName: string; lastName: string }): string {
  return `${p.firstName} ${p.lastName}`.trim();
}

export function KindBadges({ kinds, archived = false }: { kinds: readonly PersonKind[]; archived?: boolean }) {
  const { t } = useTranslation();
  return (
    <span className="badges">
      {kinds.map((k) => (
        <Badge key={k} tone={k}>
          {t(`kinds.${k}`)}
        </Badge>
      ))}
      {archived ? <Badge tone="neutral">{t('people.archived')}</Badge> : null}
    </span>
  );
}
