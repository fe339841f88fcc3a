/**
 * A form shown on demand (docs/ui.md « Person page »): a button (« Ajouter une note ») opens it and focuses its
 * first field; Escape anywhere in it, or its « Annuler », closes it and gives the focus back to the button. What
 * was typed stays in the caller's state, so closing loses nothing. `keepMounted` keeps the closed form in the page,
 * hidden (the papers form listens for files dropped anywhere on the page).
 */
import { useCallback, useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';

export interface OnDemandState {
  open: boolean;
  show(): void;
  hide(): void;
  button: RefObject<HTMLButtonElement | null>;
  panel: RefObject<HTMLDivElement | null>;
}

/** The open/closed state of one on-demand form, with focus moved on each change (never on first render). */
export function useOnDemand(): OnDemandState {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const changed = useRef(false);
  useEffect(() => {
    if (!changed.current) return;
    if (open) panel.current?.querySelector<HTMLElement>('input:not([type=hidden]):not([disabled]), select, textarea')?.focus();
    else button.current?.focus();
  }, [open]);
  const show = useCallback(() => {
    changed.current = true;
    setOpen(true);
  }, []);
  const hide = useCallback(() => {
    changed.current = true;
    setOpen(false);
  }, []);
  return { open, show, hide, button, panel };
}

interface Props {
  state: OnDemandState;
  /** The opening button's text (« Nouvelle tâche »). */
  label: string;
  keepMounted?: boolean;
  children: ReactNode;
}

/** The opening button alone (to sit next to a section's heading); hidden while the form is open. */
export function OnDemandButton({ state, label }: { state: OnDemandState; label: string }) {
  if (state.open) return null;
  return (
    <button ref={state.button} type="button" className="button secondary on-demand-open" aria-expanded={false} onClick={state.show}>
      {label}
    </button>
  );
}

/** The form's place: shown while open (kept hidden in the page with `keepMounted`); Escape in it closes it. */
export function OnDemandPanel({ state, keepMounted = false, children }: Omit<Props, 'label'>) {
  return (
    <div
      ref={state.panel}
      className="on-demand"
      hidden={!state.open}
      onKeyDown={(e) => {
        // A control that used Escape itself (an open list) prevents the default; leave it alone then.
        if (e.key !== 'Escape' || e.defaultPrevented) return;
        e.preventDefault();
        state.hide();
      }}
    >
      {state.open || keepMounted ? children : null}
    </div>
  );
}

/** Button and form together, the button where the form will appear. */
export function OnDemand({ state, label, keepMounted = false, children }: Props) {
  return (
    <>
      <OnDemandButton state={state} label={label} />
      <OnDemandPanel state={state} keepMounted={keepMounted}>
        {children}
      </OnDemandPanel>
    </>
  );
}
