/**
 * « À classer » (docs/scanning.md « Dossier de numérisation »): the files a printer left in this PC's scan folder,
 * offered once they finished arriving. Tick one or more, choose the person and the paper's type: they become one paper
 * and leave the folder once it is stored. « Mettre de côté » (after confirmation) moves a file into `.rejetés`.
 * The list follows `inbox:changed`; the folder is set below (device preference, this PC only).
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InboxItem } from '../../../shared/contract/inbox';
import { errorMessage, invoke, on } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { formatSize } from '../../app/format';
import { useRouter } from '../../app/router';
import { ErrorAlert } from '../../components/Alert';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CheckboxField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { FileInboxForm } from './FileInboxForm';
import { InboxFolderSettings } from './InboxFolderSettings';
import { InboxPreview } from './InboxPreview';
import './inbox.css';

export function InboxPage() {
  const { t, i18n } = useTranslation();
  const { announce } = useAnnouncer();
  const { navigate } = useRouter();
  const [folder, setFolder] = useState<string | null>(null);
  const [items, setItems] = useState<InboxItem[] | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [preview, setPreview] = useState<InboxItem | null>(null);
  const [discarding, setDiscarding] = useState<InboxItem | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const r = await invoke('inbox:list', {});
      setFolder(r.folder);
      setItems(r.items);
      setChosen((c) => c.filter((id) => r.items.some((i) => i.id === id)));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => {
    void load();
    return on('inbox:changed', () => void load());
  }, [load]);

  async function discard(item: InboxItem) {
    try {
      await invoke('inbox:discard', { id: item.id });
      announce(t('inbox.discarded', { name: item.name }));
      setDiscarding(null);
      await load();
    } catch (e) {
      setError(errorMessage(e));
      setDiscarding(null);
    }
  }

  const dateTime = (iso: string) => new Date(iso).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'short' });
  return (
    <div className="stack">
      <PageHeader
        title={t('inbox.title')}
        actions={
          <button type="button" className="button secondary" onClick={() => void load()}>
            {t('inbox.refresh')}
          </button>
        }
      />
      <ErrorAlert>{error}</ErrorAlert>
      {folder === null && items !== null ? <p className="muted">{t('inbox.noFolder')}</p> : null}
      {folder !== null && items?.length === 0 ? <p className="muted">{t('inbox.empty', { folder })}</p> : null}
      {items?.length ? (
        <section className="card stack" aria-labelledby="inbox-list-title">
          <h3 id="inbox-list-title">{t('inbox.listTitle', { count: items.length })}</h3>
          <ul className="plain-list stack">
            {items.map((item) => (
              <li key={item.id} className="inbox-item">
                <CheckboxField
                  label={
                    <>
                      <span>{item.name}</span> <span className="muted">({t(`inbox.kinds.${item.kind}`)}, {formatSize(item.size, i18n.language)}, {dateTime(item.modifiedAt)})</span>
                    </>
                  }
                  checked={chosen.includes(item.id)}
                  onChange={(e) => setChosen((c) => (e.target.checked ? [...c, item.id] : c.filter((id) => id !== item.id)))}
                />
                {item.kind === 'jpeg' || item.kind === 'png' ? (
                  <button type="button" className="link-button" aria-label={t('inbox.preview', { name: item.name })} onClick={() => setPreview(item)}>
                    {t('inbox.previewShort')}
                  </button>
                ) : null}
                <button type="button" className="link-button" aria-label={t('inbox.discard', { name: item.name })} onClick={() => setDiscarding(item)}>
                  {t('inbox.discardShort')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {preview ? <InboxPreview item={preview} onClose={() => setPreview(null)} /> : null}
      {items?.length ? (
        <FileInboxForm
          ids={chosen}
          onFiled={(personId) => {
            setChosen([]);
            void load();
            navigate({ name: 'person', id: personId });
          }}
        />
      ) : null}
      {discarding ? (
        <ConfirmDialog title={t('inbox.discardTitle')} confirmLabel={t('inbox.discardConfirm')} onConfirm={() => void discard(discarding)} onCancel={() => setDiscarding(null)}>
          <p>{t('inbox.discardText', { name: discarding.name })}</p>
        </ConfirmDialog>
      ) : null}
      <InboxFolderSettings key={folder ?? ''} folder={folder} onSaved={() => void load()} />
    </div>
  );
}
