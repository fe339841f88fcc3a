/**
 * A labelled text field bound to a `useZodForm` form (renderer/app/useZodForm.ts): registered with react-hook-form, its
 * error (French, from the contract's schema or the core's refusal) shown next to it with aria-invalid and
 * aria-describedby (./Field.tsx), and its maxLength taken from the same schema unless given.
 */
import type { ComponentProps, ReactNode } from 'react';
import { get, type FieldValues, type Path, type UseFormReturn } from 'react-hook-form';
import { sentenceOf } from '../../shared/domain/validation';
import { TextAreaField, TextField } from './Field';

type Common<T extends FieldValues> = {
  form: UseFormReturn<T, unknown, FieldValues>;
  name: Path<T>;
  label: ReactNode;
  hint?: ReactNode;
  className?: string;
};

/** The message react-hook-form holds for `name` (nested paths too) as a sentence (« Champ obligatoire. »), or null. */
export function errorOf<T extends FieldValues>(form: UseFormReturn<T, unknown, FieldValues>, name: Path<T>): string | null {
  const entry = get(form.formState.errors, name) as { message?: unknown } | undefined;
  return typeof entry?.message === 'string' && entry.message !== '' ? sentenceOf(null, entry.message) : null;
}

type InputProps<T extends FieldValues> = Common<T> & Omit<ComponentProps<'input'>, 'name' | 'form' | 'className' | 'value' | 'onChange' | 'onBlur'>;

/** An `<input>` of the form (text, password, number…). */
export function FormField<T extends FieldValues>({ form, name, label, hint, className, ...input }: InputProps<T>) {
  const numeric = input.type === 'number';
  return (
    <TextField
      label={label}
      hint={hint}
      className={className}
      error={errorOf(form, name)}
      {...input}
      {...form.register(name, numeric ? { setValueAs: (v: unknown) => (v === '' || v === null ? undefined : Number(v)) } : {})}
    />
  );
}

type AreaProps<T extends FieldValues> = Common<T> & Omit<ComponentProps<'textarea'>, 'name' | 'form' | 'className' | 'value' | 'onChange' | 'onBlur'>;

/** A `<textarea>` of the form. */
export function FormTextArea<T extends FieldValues>({ form, name, label, hint, className, ...area }: AreaProps<T>) {
  return <TextAreaField label={label} hint={hint} className={className} error={errorOf(form, name)} {...area} {...form.register(name)} />;
}

/** A new password typed twice (`name` and `confirmName`): the schema's refinement puts a mismatch on the second. */
export function NewPasswordPair<T extends FieldValues>({ form, name, confirmName, label, confirmLabel, hint }: {
  form: UseFormReturn<T, unknown, FieldValues>;
  name: Path<T>;
  confirmName: Path<T>;
  label: string;
  confirmLabel: string;
  hint: ReactNode;
}) {
  return (
    <>
      <FormField form={form} name={name} type="password" label={label} hint={hint} required autoComplete="new-password" />
      <FormField form={form} name={confirmName} type="password" label={confirmLabel} required autoComplete="new-password" />
    </>
  );
}
