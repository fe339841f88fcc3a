/**
 * The common life of a form's submit, for forms whose state lives elsewhere (a parent's folder, a person's draft):
 * ignore a second submit while the first runs, clear the previous errors, and put every refused field next to itself.
 * Forms that own their state use renderer/app/useZodForm.ts instead (react-hook-form).
 *
 * - `check(schema, values)`: the contract's zod schema checks before sending; every refused field at once, in French
 *   (shared/domain/validation.ts), the first one focused. False when something was refused.
 * - `run(action)`: a refusal by the core naming fields lands on them (`fieldErrors`, keyed by the form's `fieldNames`);
 *   `error` is the French sentence for the alert, null when every refused field is shown next to itself.
 * Attach `formRef` to the `<form>` so that focus goes to its first refused field. `run` resolves to true on success.
 */
import { useCallback, useRef, useState } from 'react';
import type { z } from 'zod';
import { describeIssues } from '../../shared/domain/validation';
import { ApiError, errorMessage } from '../api/client';
import { fieldForPath } from './useZodForm';

type Problems = readonly { path: string; message: string }[];

export function useSubmit(fieldNames: readonly string[] = []) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const running = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);
  const names = useRef(fieldNames);
  names.current = fieldNames;

  /** Puts `problems` on the form's fields; returns true when each one found its field. */
  const place = useCallback((problems: Problems): boolean => {
    const placed: Record<string, string> = {};
    let all = true;
    for (const p of problems) {
      const name = fieldForPath(p.path, names.current);
      if (name) placed[name] ??= p.message;
      else all = false;
    }
    setFieldErrors(placed);
    if (Object.keys(placed).length > 0) requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
    return all;
  }, []);

  const check = useCallback(
    (schema: z.ZodType, values: unknown): boolean => {
      const parsed = schema.safeParse(values);
      if (parsed.success) {
        setFieldErrors({});
        return true;
      }
      const { message, fields } = describeIssues(parsed.error);
      setError(place(fields) ? null : message);
      return false;
    },
    [place],
  );

  const run = useCallback(
    async (action: () => Promise<void>): Promise<boolean> => {
      if (running.current) return false;
      running.current = true;
      setBusy(true);
      setError(null);
      setFieldErrors({});
      try {
        await action();
        return true;
      } catch (e) {
        const placedAll = e instanceof ApiError && e.code === 'VALIDATION' && e.fields.length > 0 && place(e.fields);
        setError(placedAll ? null : errorMessage(e));
        return false;
      } finally {
        running.current = false;
        setBusy(false);
      }
    },
    [place],
  );
  return { busy, error, setError, fieldErrors, setFieldErrors, check, run, formRef };
}
