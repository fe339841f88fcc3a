/**
 * One page of a scan session at screen size (`scan:pageImage`), in a modal `<dialog>` (Échap or « Fermer » close
 * it; the focus then goes back to the thumbnail that opened it). Shown turned as it will be stored. The image lives
 * in a `blob:` URL revoked on close: the decrypted page never reaches the disk.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client';
import { ErrorAlert } from '../../components/Alert';
import type { ScanSession } from './scanSession';
import type { SessionPage } from './sessionModel';

export function PagePreview({ session, page, n, onClose }: { session: ScanSession; page: SessionPage; n: number; onClose(): void }) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    close.current?.focus();
    return () => {
      d?.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  useEffect(() => {
    let made: string | null = null;
    let alive = true;
    session
      .pageImage(page.pageId)
      .then((img) => {
        if (!alive) return;
        made = URL.createObjectURL(new Blob([img.bytes as BlobPart], { type: img.mime }));
        setUrl(made);
      })
      .catch((e: unknown) => alive && setError(errorMessage(e)));
    return () => {
      alive = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [session, page.pageId]);

  const sideways = page.rotation === 90 || page.rotation === 270;
  return (
    <dialog
      ref={dialog}
      className="scan-preview"
      aria-labelledby="scan-preview-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="scan-preview-head">
        <h2 id="scan-preview-title">{t('scan.preview.title', { n })}</h2>
        <button type="button" ref={close} className="button secondary" onClick={onClose}>
          {t('scan.preview.close')}
        </button>
      </div>
      <ErrorAlert>{error}</ErrorAlert>
      <div className="scan-preview-body">
        {url ? (
          <img
            src={url}
            alt={t('scan.preview.alt', { n })}
            className={sideways ? 'sideways' : undefined}
            style={page.rotation ? { transform: `rotate(${page.rotation}deg)` } : undefined}
          />
        ) : error ? null : (
          <p className="muted">{t('scan.preview.loading')}</p>
        )}
      </div>
    </dialog>
  );
}
