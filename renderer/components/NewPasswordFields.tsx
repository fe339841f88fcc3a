/**
 * A new password typed twice (create an association, add a user, change my password): the state, the check that both
 * entries match, and the two labelled fields. The mismatch error sits on the confirmation field.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from './Field';

export interface NewPasswordState {
  password: string;
  confirm: string;
  mismatch: boolean;
  setPassword(value: string): void;
  setConfirm(value: string): void;
  /** True when both entries match; otherwise flags the confirmation field. */
  check(): boolean;
  reset(): void;
}

export function useNewPassword(): NewPasswordState {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  return {
    password,
    confirm,
    mismatch,
    setPassword,
    setConfirm,
    check() {
      const ok = password === confirm;
      setMismatch(!ok);
      return ok;
    },
    reset() {
      setPassword('');
      setConfirm('');
      setMismatch(false);
    },
  };
}

export function NewPasswordFields({ state, label, confirmLabel }: { state: NewPasswordState; label: string; confirmLabel: string }) {
  const { t } = useTranslation();
  return (
    <>
      <TextField
        label={label}
        hint={t('create.passwordHint')}
        type="password"
        value={state.password}
        onChange={(e) => state.setPassword(e.target.value)}
        required
        autoComplete="new-password"
      />
      <TextField
        label={confirmLabel}
        type="password"
        value={state.confirm}
        onChange={(e) => state.setConfirm(e.target.value)}
        required
        autoComplete="new-password"
        error={state.mismatch ? t('create.mismatch') : null}
      />
    </>
  );
}
