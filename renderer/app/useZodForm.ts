/**
 * The form layer: react-hook-form driven by the contract's own zod schema (@hookform/resolvers/zod), so the form checks
 * before sending exactly what the core checks (lengths, required fields, formats), in French
 * (shared/domain/validation.ts). All errors show at once next to their fields and focus goes to the first one.
 *
 * `submit(action)` wraps the send: a second submit while the first runs is ignored; a refusal by the core is mapped
 * back onto the field it names (`ApiError.fields`, by request path or by its last name: `person.lastName` → `lastName`),
 * anything else becomes `rootError`, a French sentence for an alert. See docs/ui.md « Errors in people's words ».
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useCallback, useRef, useState, type BaseSyntheticEvent } from 'react';
import { useForm, type DefaultValues, type FieldValues, type Path, type UseFormReturn } from 'react-hook-form';
import type { z } from 'zod';
import { installFrenchErrors } from '../../shared/domain/validation';
import { ApiError, errorMessage } from '../api/client';

installFrenchErrors();

/** Where a refused request path lands in a form whose fields are `names`: the exact path, else its last name. */
export function fieldForPath(path: string, names: readonly string[]): string | null {
  if (names.includes(path)) return path;
  const parts = path.split('.');
  for (let i = 1; i < parts.length; i++) {
    const tail = parts.slice(i).join('.');
    if (names.includes(tail)) return tail;
  }
  return null;
}

/**
 * Puts the core's refusal onto the form: each named field gets its message (the first one focused); returns the
 * sentence to show above the form when some refusal has no field here (null when all landed on fields).
 */
export function applyServerError<T extends FieldValues>(form: UseFormReturn<T, unknown, FieldValues>, error: unknown, names: readonly string[]): string | null {
  if (!(error instanceof ApiError) || error.code !== 'VALIDATION' || error.fields.length === 0) return errorMessage(error);
  let focused = false;
  let unplaced = false;
  for (const problem of error.fields) {
    const name = fieldForPath(problem.path, names);
    if (!name) {
      unplaced = true;
      continue;
    }
    form.setError(name as Path<T>, { type: 'server', message: problem.message }, { shouldFocus: !focused });
    focused = true;
  }
  return unplaced ? error.message : null;
}

export interface ZodForm<S extends z.ZodType<FieldValues, FieldValues>> {
  form: UseFormReturn<z.input<S>, unknown, z.output<S>>;
  busy: boolean;
  /** The sentence for the alert above the form (a refusal with no field here, or any other failure). */
  rootError: string | null;
  setRootError(message: string | null): void;
  /** The form's onSubmit: checks with the schema, then runs `action` with the parsed values. */
  submit(action: (values: z.output<S>) => Promise<void>): (e?: BaseSyntheticEvent) => Promise<void>;
}

/** A form checked with `schema` before anything is sent. `defaultValues` holds every field (empty strings). */
export function useZodForm<S extends z.ZodType<FieldValues, FieldValues>>(schema: S, defaultValues: DefaultValues<z.input<S>>): ZodForm<S> {
  const form = useForm<z.input<S>, unknown, z.output<S>>({
    resolver: zodResolver(schema as never) as never,
    defaultValues,
    mode: 'onSubmit',
    reValidateMode: 'onChange',
    criteriaMode: 'firstError',
    shouldFocusError: true,
  });
  const [busy, setBusy] = useState(false);
  const [rootError, setRootError] = useState<string | null>(null);
  const running = useRef(false);

  const submit = useCallback(
    (action: (values: z.output<S>) => Promise<void>) =>
      form.handleSubmit(async (values) => {
        if (running.current) return;
        running.current = true;
        setBusy(true);
        setRootError(null);
        try {
          await action(values);
        } catch (error) {
          const names = Object.keys(form.getValues() as object);
          setRootError(applyServerError(form as never, error, names));
        } finally {
          running.current = false;
          setBusy(false);
        }
      }),
    [form],
  );
  return { form, busy, rootError, setRootError, submit };
}
