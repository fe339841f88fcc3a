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

/** The size (CSS px) of a `w` × `h` image shown turned, fitted in the dialog (92 % of the window, 60 rem at most) and 72 % of the window's height. */
function fitTurned(w: number, h: number, sideways: boolean): { width: number; height: number; imageWidth: number; imageHeight: number } {
  const [tw, th] = sideways ? [h, w] : [w, h];
  const scale = Math.min(1, (Math.min(window.innerWidth * 0.92, 1020) - 80) / tw, (window.innerHeight * 0.72) / th);
  return { width: Math.round(tw * scale), height: Math.round(th * scale), imageWidth: Math.round(w * scale), imageHeight: Math.round(h * scale) };
}

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

  // The page turned takes the room of its turned shape: a box of the turned size, the image centred and turned in it.
  const [natural, setNatural] = useState<{ w: number; h: number } | null>(null);
  const sideways = page.rotation === 90 || page.rotation === 270;
  const box = natural ? fitTurned(natural.w, natural.h, sideways) : null;
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
          <div className="scan-preview-page" style={box ? { width: box.width, height: box.height } : undefined}>
            <img
              src={url}
              alt={t('scan.preview.alt', { n })}
              onLoad={(e) => setNatural({ w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight })}
              style={box ? { width: box.imageWidth, height: box.imageHeight, transform: `translate(-50%, -50%) rotate(${page.rotation}deg)` } : { visibility: 'hidden' }}
            />
          </div>
        ) : error ? null : (
          <p className="muted">{t('scan.preview.loading')}</p>
        )}
      </div>
    </dialog>
  );
}
