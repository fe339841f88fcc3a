/**
 * The recovery code, shown once (at creation or after « Nouveau code de secours »): the code in large grouped
 * characters, « Imprimer la feuille (PDF) » and a button to go on once it is put away — only after the box « J’ai noté
 * ou imprimé ce code… » is ticked (otherwise the box is focused and says why). docs/ui.md « Access rights ».
 */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, Notice } from './Alert';

/** "ABCDE…" (25 characters) → "ABCDE-FGHIJ-…"; anything else is shown as it came. */
export function groupCode(code: string): string {
  const bare = code.replace(/[\s-]/g, '');
  return bare.length === 25 ? (bare.match(/.{5}/g) ?? [bare]).join('-') : code;
}

interface Props {
  code: string;
  printing: boolean;
  error: string | null;
  /** Set once the sheet was offered (download or viewer). */
  printed: string | null;
  onPrint(): void;
  onDone(): void;
  doneLabel: ReactNode;
}

export function RecoveryCodePanel({ code, printing, error, printed, onPrint, onDone, doneLabel }: Props) {
  const { t } = useTranslation();
  const title = useRef<HTMLHeadingElement>(null);
  const box = useRef<HTMLInputElement>(null);
  const [kept, setKept] = useState(false);
  const [missing, setMissing] = useState(false);
  const id = useId();
  useEffect(() => title.current?.focus(), []);
  const done = () => {
    if (kept) return onDone();
    setMissing(true);
    box.current?.focus();
  };
  return (
    <section className="card recovery-panel stack" aria-labelledby="recovery-title" data-testid="recovery-panel">
      <h2 id="recovery-title" ref={title} tabIndex={-1}>
        {t('recovery.title')}
      </h2>
      <p>{t('recovery.intro')}</p>
      <p className="recovery-code" aria-label={t('recovery.codeLabel')} data-testid="recovery-code">
        {groupCode(code)}
      </p>
      <p className="muted">{t('recovery.once')}</p>
      <ErrorAlert>{error}</ErrorAlert>
      {printed ? <Notice tone="success">{printed}</Notice> : null}
      <div className="check recovery-kept">
        <input
          ref={box}
          id={`${id}-kept`}
          type="checkbox"
          checked={kept}
          aria-invalid={missing && !kept ? true : undefined}
          aria-describedby={missing && !kept ? `${id}-kept-error` : undefined}
          onChange={(e) => {
            setKept(e.target.checked);
            if (e.target.checked) setMissing(false);
          }}
        />
        <label htmlFor={`${id}-kept`}>{t('recovery.keptLabel')}</label>
      </div>
      {missing && !kept ? (
        <p className="field-error" id={`${id}-kept-error`} role="alert">
          {t('recovery.keptMissing')}
        </p>
      ) : null}
      <div className="actions">
        <button type="button" className="button secondary" onClick={onPrint} aria-disabled={printing ? true : undefined}>
          {printing ? t('recovery.printing') : t('recovery.print')}
        </button>
        <button type="button" className="button primary" onClick={done}>
          {doneLabel}
        </button>
      </div>
    </section>
  );
}
