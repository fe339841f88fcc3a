/**
 * A folder: a typed path, plus "Parcourir…" (os:chooseFolder) where the host has native dialogs (Electron); the
 * browser host keeps the typed path. Used for the association folder and the backup folders (« Sauvegardes »).
 * `FormFolderField` is the same bound to a react-hook-form field (the start screen's forms).
 */
import { useRef, useState } from 'react';
import { useController, type FieldValues, type Path, type UseFormReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { invoke, isApiError, nativeDialogsAvailable } from '../../api/client';
import { TextField } from '../../components/Field';
import { errorOf } from '../../components/FormField';

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

interface FormProps<T extends FieldValues> extends Omit<Props, 'value' | 'onChange' | 'error' | 'inputRef'> {
  form: UseFormReturn<T, unknown, FieldValues>;
  /** The form's field holding the folder's path (a string). */
  name: Path<T>;
  /** Also told of every change (a start screen keeps the folder across its forms). */
  onChange?(value: string): void;
}

/** A FolderField bound to a react-hook-form field: its value, its error next to it, its focus when refused. */
export function FormFolderField<T extends FieldValues>({ form, name, onChange, ...props }: FormProps<T>) {
  const { field } = useController({ control: form.control, name });
  return (
    <FolderField
      {...props}
      value={typeof field.value === 'string' ? field.value : ''}
      onChange={(value) => {
        field.onChange(value);
        onChange?.(value);
      }}
      inputRef={field.ref}
      error={errorOf(form, name)}
    />
  );
}
