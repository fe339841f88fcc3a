/**
 * The one date field of the renderer (docs/ui.md « Dates »): a text field typed and shown as jj/mm/aaaa whatever the
 * browser's or the system's language (a native `<input type="date">` follows the system: mm/dd/yyyy in English, and
 * it silently empties a day that does not exist). Slashes are added while typing; leaving the field checks it; the
 * form checks it again with `readTypedDate` before sending, so an impossible date is refused, never dropped.
 */
import { useState, type ComponentProps } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { parseTypedDate } from '../../shared/domain/dates';
import { TextField } from './Field';

/**
 * The text after a keystroke: only digits and separators; 8 digits in a row become `jj/mm/aaaa`; a `/` is added after
 * the day and the month while typing forward (never while erasing). At most 10 characters.
 */
export function maskTypedDate(next: string, previous: string): string {
  let s = next.replace(/[^\d/.\- ]/g, '');
  if (/^\d{8}$/.test(s)) return `${s.slice(0, 2)}/${s.slice(2, 4)}/${s.slice(4)}`;
  if (s.length > previous.length && (/^\d{2}$/.test(s) || /^\d{1,2}\/\d{2}$/.test(s))) s += '/';
  return s.slice(0, 10);
}

/** A typed date read for sending: `iso` (null when empty) or the French message naming `label`. */
export function readTypedDate(text: string, label: string, t: TFunction): { iso: string | null; error: string | null } {
  const r = parseTypedDate(text);
  if (r.ok) return { iso: r.iso, error: null };
  return { iso: null, error: r.reason === 'impossible' ? t('fieldChecks.dateImpossible', { label }) : t('fieldChecks.dateFormat', { label }) };
}

type Props = Omit<ComponentProps<'input'>, 'value' | 'onChange' | 'type' | 'className'> & {
  /** The field's name as the form shows it; also names it in its messages. */
  label: string;
  /** What is typed (jj/mm/aaaa), not an ISO date. */
  value: string;
  onChange(text: string): void;
  /** The form's message for this field (wins over the field's own check). */
  error?: string | null;
  className?: string;
};

export function DateField({ label, value, onChange, error, onBlur, className, ...input }: Props) {
  const { t } = useTranslation();
  const [own, setOwn] = useState<string | null>(null);
  return (
    <TextField
      {...input}
      className={className}
      label={label}
      hint={t('fieldChecks.dateHint')}
      value={value}
      inputMode="numeric"
      autoComplete="off"
      spellCheck={false}
      maxLength={10}
      error={error ?? own}
      onChange={(e) => {
        setOwn(null);
        onChange(maskTypedDate(e.target.value, value));
      }}
      onBlur={(e) => {
        setOwn(readTypedDate(value, label, t).error);
        onBlur?.(e);
      }}
    />
  );
}
