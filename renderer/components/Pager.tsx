/**
 * Page through a long list: « 1 à 25 sur 40 » and Précédentes / Suivantes buttons (keyboard: plain buttons).
 * `page` is 0-based; `size` items per page. Renders nothing when everything fits on one page.
 */
import { useTranslation } from 'react-i18next';

interface Props {
  page: number;
  size: number;
  total: number;
  onPage(page: number): void;
  /** What is counted, for screen readers (« Personnes à compléter »). */
  label: string;
}

export function Pager({ page, size, total, onPage, label }: Props) {
  const { t } = useTranslation();
  if (total <= size) return null;
  const last = Math.ceil(total / size) - 1;
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" className="button secondary" onClick={() => onPage(page - 1)} disabled={page <= 0}>
        {t('pager.previous')}
      </button>
      <span aria-live="polite">{t('pager.range', { from: page * size + 1, to: Math.min(total, (page + 1) * size), total })}</span>
      <button type="button" className="button secondary" onClick={() => onPage(page + 1)} disabled={page >= last}>
        {t('pager.next')}
      </button>
    </nav>
  );
}
