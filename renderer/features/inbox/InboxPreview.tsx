/** A JPEG or PNG waiting in the scan folder, shown at screen size from `inbox:preview` bytes (an object URL, revoked on close). */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InboxItem } from '../../../shared/contract/inbox';
import { errorMessage, invoke } from '../../api/client';
import { ErrorAlert } from '../../components/Alert';
import './inbox.css';

export function InboxPreview({ item, onClose }: { item: InboxItem; onClose(): void }) {
  const { t } = useTranslation();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let made: string | null = null;
    invoke('inbox:preview', { id: item.id })
      .then((r) => {
        made = URL.createObjectURL(new Blob([r.bytes as BlobPart], { type: r.mime }));
        setUrl(made);
      })
      .catch((e: unknown) => setError(errorMessage(e)));
    return () => {
      if (made) URL.revokeObjectURL(made);
    };
  }, [item.id]);
  return (
    <section className="card stack" aria-labelledby="inbox-preview-title">
      <h3 id="inbox-preview-title">{t('inbox.previewTitle', { name: item.name })}</h3>
      <ErrorAlert>{error}</ErrorAlert>
      {url ? <img src={url} alt={t('inbox.previewAlt', { name: item.name })} className="inbox-preview" /> : null}
      <div className="actions">
        <button type="button" className="button secondary" onClick={onClose}>
          {t('inbox.closePreview')}
        </button>
      </div>
    </section>
  );
}
