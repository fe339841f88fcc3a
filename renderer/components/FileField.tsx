/**
 * A labelled file field whose button and « no file chosen » line speak the app's language. The browser's own file
 * input writes « Choose File / No file chosen » in the language of the browser or OS, not the app's: it stays in the
 * page (tests and drag-and-drop reach it, the label opens it) but out of sight and out of the tab order, and a real
 * button opens it.
 */
import { useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface FileFieldProps {
  label: ReactNode;
  hint?: ReactNode;
  accept?: string;
  disabled?: boolean;
  id?: string;
  'data-testid'?: string;
  /** Called with the chosen file (or undefined when the choice was cancelled). The same file can be chosen again. */
  onFile: (file: File | undefined) => void;
}

export function FileField({ label, hint, accept, disabled, id: givenId, onFile, 'data-testid': testId }: FileFieldProps) {
  const { t } = useTranslation();
  const auto = useId();
  const id = givenId ?? auto;
  const input = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  return (
    <div className="field file-field">
      <label htmlFor={id}>{label}</label>
      <div className="file-field-row">
        <button type="button" className="button secondary" disabled={disabled} aria-describedby={`${id}-chosen${hint ? ` ${id}-hint` : ''}`} onClick={() => input.current?.click()}>
          {t('common.chooseFile')}
        </button>
        <span id={`${id}-chosen`} className="muted">
          {chosen ?? t('common.noFileChosen')}
        </span>
      </div>
      <input
        ref={input}
        id={id}
        className="visually-hidden"
        tabIndex={-1}
        type="file"
        accept={accept}
        disabled={disabled}
        data-testid={testId}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => {
          const file = e.target.files?.[0];
          setChosen(file ? file.name : null);
          onFile(file);
          // After a refused file, choosing the same (corrected) file again must fire « change » again.
          e.target.value = '';
        }}
      />
      {hint ? (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
    </div>
  );
}
