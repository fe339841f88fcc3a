/**
 * Create or edit a person. Before creating, `people:findDuplicates` runs; matches must be confirmed with
 * "Créer quand même".
 * When the data version moves, the person is read again: fields not changed here take the new values, changed ones
 * keep what was typed (`rebaseDraft`). While something was changed, received changes wait for « Actualiser ».
 * Before anything is sent, dates (jj/mm/aaaa) and phones are checked (`checkDraft`), then the rest with the
 * contract's own schema (`personInput`: lengths, e-mail…): every refused field gets its French message at once and the
 * first one is focused. A refusal by the core lands on the field it names (`ApiError.fields`).
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PERSON_FIELD_SETS, personInput, type Household, type PersonSummary } from '../../../shared/domain/person';
import { describeIssues } from '../../../shared/domain/validation';
import { ApiError, errorMessage, invoke } from '../../api/client';
import { useAnnouncer } from '../../app/announcer';
import { useDataVersion, useHoldRefresh } from '../../app/dataVersion';
import { useRouter } from '../../app/router';
import { fieldForPath } from '../../app/useZodForm';
import { ErrorAlert } from '../../components/Alert';
import { PageHeader } from '../../components/PageHeader';
import type { PersonPrefill } from '../../../shared/domain/searchQuery';
import { draftOf, emptyDraft, inputOf, prefilledDraft, NEW_HOUSEHOLD, rebaseDraft, sameDraft, type Draft } from './draft';
import { checkDraft } from './checkDraft';
import { DuplicateWarning } from './DuplicateWarning';
import { PersonFormFields } from './PersonFormFields';
import { fullName } from './names';
import './people.css';

/** The form's fields as the core names them (`person.lastName` → `lastName`). */
const FIELD_NAMES = Object.keys(personInput.shape);

/** Refused fields (request path → form field) with their French messages, the first per field. */
function placeProblems(problems: readonly { path: string; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of problems) {
    const name = fieldForPath(p.path, FIELD_NAMES);
    if (name) out[name] ??= p.message;
  }
  return out;
}

/** What the contract's schema refuses in the draft (lengths, e-mail…), hidden fields left out. */
function schemaProblems(draft: Draft, hidden: ReadonlySet<string>): Record<string, string> {
  const parsed = personInput.safeParse(inputOf(draft, null));
  if (parsed.success) return {};
  const problems = placeProblems(describeIssues(parsed.error).fields);
  for (const key of hidden) delete problems[key];
  return problems;
}

/** `prefill` (a new person only): the names and birth date a search that found no one typed. */
export function PersonEditor({ id, prefill }: { id: string | null; prefill?: PersonPrefill | undefined }) {
  const { t } = useTranslation();
  const { navigate, replace, back } = useRouter();
  const { announce } = useAnnouncer();
  const [draft, setDraft] = useState<Draft>(() => (id === null && prefill ? prefilledDraft(prefill) : emptyDraft));
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [households, setHouseholds] = useState<Household[]>([]);
  const [loaded, setLoaded] = useState(id === null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [duplicates, setDuplicates] = useState<PersonSummary[] | null>(null);
  const [busy, setBusy] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const submitButton = useRef<HTMLButtonElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  /** The person as last read (empty for a new one): what the form's changes are measured against. */
  const [base, setBase] = useState<Draft>(emptyDraft);
  const baseRef = useRef<Draft | null>(null);
  const version = useDataVersion();
  useHoldRefresh(!sameDraft(draft, base));

  useEffect(() => {
    let alive = true;
    invoke('households:list', {})
      .then((r) => alive && setHouseholds(r.items))
      .catch(() => undefined);
    if (id) {
      invoke('people:get', { id })
        .then((r) => {
          if (!alive) return;
          const fresh = draftOf(r.person);
          const previous = baseRef.current;
          baseRef.current = fresh;
          setBase(fresh);
          setDraft((mine) => (previous ? rebaseDraft(previous, mine, fresh) : fresh));
          setHidden(new Set(r.person.hiddenFields.flatMap((set) => PERSON_FIELD_SETS[set])));
          setLoaded(true);
        })
        .catch((e: unknown) => alive && setError(errorMessage(e)));
    }
    return () => {
      alive = false;
    };
  }, [id, version]);

  const set = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    if (duplicates) setDuplicates(null);
  };

  async function resolveHousehold(): Promise<string | null> {
    if (draft.household !== NEW_HOUSEHOLD) return draft.household || null;
    const created = await invoke('households:create', { name: draft.newHouseholdName, memberIds: id ? [id] : [] });
    // Remember it so that a retry after a failed save does not create a second household.
    setHouseholds((hs) => [...hs, { id: created.id, name: draft.newHouseholdName, memberIds: id ? [id] : [] }]);
    setDraft((d) => ({ ...d, household: created.id, newHouseholdName: '' }));
    return created.id;
  }

  async function save(confirmedDuplicates: boolean) {
    setError(null);
    const problems = { ...schemaProblems(draft, hidden), ...checkDraft(draft, t, hidden) };
    setFieldErrors(problems);
    if (Object.keys(problems).length > 0) {
      setDuplicates(null);
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setBusy(true);
    try {
      if (!id && !confirmedDuplicates) {
        const { items } = await invoke('people:findDuplicates', { person: inputOf(draft, null) });
        if (items.length > 0) {
          setDuplicates(items);
          announce(t('person.duplicates.title'));
          return;
        }
      }
      const householdId = await resolveHousehold();
      const person = inputOf(draft, householdId);
      const saved = id ? await invoke('people:update', { id, person }) : await invoke('people:create', { person });
      announce(t('person.saved', { name: fullName(draft) }));
      replace({ name: 'person', id: saved.id });
    } catch (e) {
      setDuplicates(null);
      const placed = e instanceof ApiError && e.code === 'VALIDATION' ? placeProblems(e.fields) : {};
      setFieldErrors(placed);
      if (Object.keys(placed).length > 0 && e instanceof ApiError && e.fields.every((f) => fieldForPath(f.path, FIELD_NAMES))) {
        requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      } else {
        setError(errorMessage(e));
        requestAnimationFrame(() => summary.current?.focus());
      }
    } finally {
      setBusy(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void save(false);
  }

  const title = id ? t('person.editTitle', { name: fullName(draft) }) : t('person.newTitle');

  return (
    <div className="person-editor">
      <PageHeader title={title} />
      <div ref={summary} tabIndex={-1} className="error-summary">
        <ErrorAlert>{error}</ErrorAlert>
      </div>
      {loaded ? (
        <form ref={formRef} onSubmit={submit} noValidate aria-label={title}>
          <PersonFormFields draft={draft} set={set} errors={fieldErrors} households={households} hidden={hidden} />
          {duplicates ? (
            <DuplicateWarning
              matches={duplicates}
              busy={busy}
              onOpen={(pid) => navigate({ name: 'person', id: pid })}
              onCreateAnyway={() => void save(true)}
              onCancel={() => {
                setDuplicates(null);
                // The warning (and its focused button) goes away: focus the submit button that replaces it.
                requestAnimationFrame(() => submitButton.current?.focus());
              }}
            />
          ) : (
            <div className="actions form-actions">
              <button ref={submitButton} type="submit" className="button primary big" disabled={busy}>
                {id ? t('person.save') : t('person.create')}
              </button>
              <button type="button" className="button secondary big" onClick={() => back(id ? { name: 'person', id } : { name: 'people' })}>
                {t('common.cancel')}
              </button>
            </div>
          )}
        </form>
      ) : null}
    </div>
  );
}
