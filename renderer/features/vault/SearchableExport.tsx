/**
 * « Exporter en PDF interrogeable » in the paper's viewer (docs/ocr.md "Searchable PDF"): the paper with its
 * recognised text as an invisible layer, saved where the person chooses (`os:chooseSavePath`, then
 * `papers:exportSearchable` with the path) or downloaded in the browser host. Shown to users who may export papers.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, invoke, isApiError } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { downloadBytes } from '../../app/download';
import { useCan } from '../../app/session';

export function SearchableExport({ id, fileName, disabled, onError }: { id: string; fileName: string; disabled: boolean; onError(message: string): void }) {
  const { t } = useTranslation();
  const { announce } = useAnnouncer();
  const can = useCan();
  const [busy, setBusy] = useState(false);
  if (!can('documents.export')) return null;

  async function run() {
    setBusy(true);
    try {
      const defaultName = fileName.replace(/\.pdf$/i, '') + ' (interrogeable).pdf';
      let path: string | null = null;
      try {
        path = (await invoke('os:chooseSavePath', { defaultName })).path;
        if (!path) return;
      } catch (e) {
        if (!isApiError(e, 'UNSUPPORTED')) throw e;
      }
      const done = await invoke('papers:exportSearchable', path ? { id, path } : { id });
      if (done.pdf) {
        downloadBytes(done.pdf, done.fileName);
        announce(t('ocr.downloaded', { name: done.fileName }));
      } else announce(t('ocr.exported', { path: done.path }));
    } catch (e) {
      onError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <button type="button" className="button secondary" onClick={() => void run()} disabled={disabled || busy} aria-busy={busy}>
      {t('ocr.exportSearchable')}
    </button>
  );
}
