/** « Cotisations »: dues by status, a person's payments, recording a payment, renewing many, reminders (docs/treasury.md). */
import { useTranslation } from 'react-i18next';

export function DuesTab() {
  const { t } = useTranslation();
  return <p>{t('dues.empty')}</p>;
}
