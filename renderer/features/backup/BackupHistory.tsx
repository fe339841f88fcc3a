/** The backups of this association at this PC's destination: date, size, verified, « Vérifier », « Restaurer… ». */
import { useTranslation } from 'react-i18next';
import { formatSize } from '../../app/format';

interface Item {
  path: string;
  createdAt: string;
  bytes: number;
  verified: boolean | null;
}

export function BackupHistory({ items, busy, onVerify, onRestore }: { items: Item[]; busy: boolean; onVerify(path: string): void; onRestore(path: string): void }) {
  const { t, i18n } = useTranslation();
  const when = new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'short', timeStyle: 'short' });
  if (items.length === 0) return <p className="muted">{t('backup.none')}</p>;
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="backup-history">
        <caption className="visually-hidden">{t('backup.historyTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('backup.date')}</th>
            <th scope="col">{t('backup.size')}</th>
            <th scope="col">{t('backup.verified')}</th>
            <th scope="col">{t('backup.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => {
            const date = when.format(new Date(i.createdAt));
            return (
              <tr key={i.path}>
                <td>{date}</td>
                <td>{formatSize(i.bytes, i18n.language)}</td>
                <td>{i.verified === null ? t('backup.notVerified') : i.verified ? t('backup.verifiedYes') : t('backup.verifiedNo')}</td>
                <td className="row-actions">
                  <button type="button" className="button secondary small" disabled={busy} onClick={() => onVerify(i.path)} aria-label={t('backup.verifyOne', { date })}>
                    {t('backup.verify')}
                  </button>
                  <button type="button" className="button secondary small" disabled={busy} onClick={() => onRestore(i.path)} aria-label={t('backup.restoreOne', { date })}>
                    {t('backup.chooseForRestore')}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
