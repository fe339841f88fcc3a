/**
 * A folder: a typed path, plus "Parcourir…" (os:chooseFolder) where the host has native dialogs (Electron); the
 * browser host keeps the typed path. Used for the association folder and the backup folders (« Sauvegardes »).
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { invoke, isApiError, nativeDialogsAvailable } from '../../api/client';
import { TextField } from '../../components/Field';

interface Props {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  create?: boolean;
  error?: string | null;
  /** Help under the field; the association folder's example path by default. */
  hint?: string;
  /** Receives the input element (react-hook-form's ref, to focus the field when it is refused). */
  inputRef?(element: HTMLInputElement | null): void;
}

export function FolderField({ id, label, value, onChange, create = false, error, hint, inputRef }: Props) {
  const { t } = useTranslation();
  const [canBrowse, setCanBrowse] = useState(nativeDialogsAvailable());
  const input = useRef<HTMLInputElement>(null);

  async function browse() {
    try {
      const { path } = await invoke('os:chooseFolder', { title: label, create });
      if (path) onChange(path);
    } catch (e) {
      if (isApiError(e, 'UNSUPPORTED')) {
        setCanBrowse(false);
        input.current?.focus();
      }
    }
  }

  return (
    <div className="folder-field">
      <TextField
        id={id}
        ref={(element) => {
          input.current = element;
          inputRef?.(element);
        }}
        label={label}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        required
        spellCheck={false}
        autoComplete="off"
        hint={hint ?? t('unlock.folderHint')}
        error={error}
      />
      {canBrowse ? (
        <button type="button" className="button secondary" onClick={() => void browse()}>
          {t('unlock.browse')}
        </button>
      ) : null}
    </div>
  );
}
