/** Labelled form controls: every control has a visible label; hints and errors are tied with aria-describedby. */
import { useId, type ComponentProps, type ReactNode } from 'react';

interface FieldShell {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | null;
  className?: string;
}

function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function Extras({ id, hint, error }: { id: string; hint?: ReactNode; error?: string | null }) {
  return (
    <>
      {hint ? (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      ) : null}
    </>
  );
}

type InputProps = FieldShell & Omit<ComponentProps<'input'>, 'className'>;

export function TextField({ label, hint, error, className, id: givenId, ...input }: InputProps) {
  const auto = useId();
  const id = givenId ?? auto;
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} {...input} />
      <Extras id={id} hint={hint} error={error} />
    </div>
  );
}

type SelectProps = FieldShell & Omit<ComponentProps<'select'>, 'className'> & { children: ReactNode };

export function SelectField({ label, hint, error, className, id: givenId, children, ...select }: SelectProps) {
  const auto = useId();
  const id = givenId ?? auto;
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} {...select}>
        {children}
      </select>
      <Extras id={id} hint={hint} error={error} />
    </div>
  );
}

type AreaProps = FieldShell & Omit<ComponentProps<'textarea'>, 'className'>;

export function TextAreaField({ label, hint, error, className, id: givenId, ...area }: AreaProps) {
  const auto = useId();
  const id = givenId ?? auto;
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      <textarea id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} {...area} />
      <Extras id={id} hint={hint} error={error} />
    </div>
  );
}

type CheckProps = { label: ReactNode; className?: string } & Omit<ComponentProps<'input'>, 'className' | 'type'>;

export function CheckboxField({ label, className, id: givenId, ...input }: CheckProps) {
  const auto = useId();
  const id = givenId ?? auto;
  return (
    <div className={`check ${className ?? ''}`}>
      <input id={id} type="checkbox" {...input} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}
