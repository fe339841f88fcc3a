/**
 * A modal confirmation (native `<dialog>`: focus kept inside, Échap cancels). The focus starts on the cancel button,
 * so an Enter typed too fast does not confirm a destructive action. When it closes, the focus goes back to the element
 * that had it when it opened (the button that opened it), if that element is still on the page: a caller focusing
 * something from `onCancel` would be too early, the modal still holding the focus (WAI-ARIA APG, "Dialog (Modal)").
 * While open, received changes do not reload the screen behind it (the refresh notice waits for it).
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useHoldRefresh } from '../app/dataVersion';
import { ErrorAlert } from './Alert';

interface Props {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  error?: string | null;
  onConfirm(): void;
  onCancel(): void;
}

export function ConfirmDialog({ title, children, confirmLabel, busy = false, error, onConfirm, onCancel }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  useHoldRefresh(true);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    cancel.current?.focus();
    return () => {
      d?.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={dialog}
      className="confirm-dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <div id={`${id}-body`}>{children}</div>
      <ErrorAlert>{error}</ErrorAlert>
      <div className="actions">
        <button type="button" className="button warning" aria-disabled={busy ? true : undefined} onClick={() => !busy && onConfirm()}>
          {confirmLabel}
        </button>
        <button type="button" ref={cancel} className="button secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </dialog>
  );
}
