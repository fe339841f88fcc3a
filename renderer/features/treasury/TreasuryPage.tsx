/**
 * « Trésorerie » (holders of `treasury.read`; docs/treasury.md « Écrans »): a tab list (WAI-ARIA tabs pattern:
 * arrow keys move between tabs, Home/End to the ends, the panel follows) over the tabs of ./tabs.tsx.
 */
import { useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useRouter, type TreasuryTab } from '../../app/router';
import { useOpenSession } from '../../app/session';
import { PageHeader } from '../../components/PageHeader';
import { treasuryTabs } from './tabs';
import './treasury.css';

export function TreasuryPage({ tab }: { tab?: TreasuryTab | undefined }) {
  const { t } = useTranslation();
  const { replace } = useRouter();
  const session = useOpenSession();
  const tabs = treasuryTabs(session.permissions);
  const current = tabs.find((x) => x.id === tab) ?? tabs[0];
  const refs = useRef(new Map<TreasuryTab, HTMLButtonElement>());

  function select(id: TreasuryTab, focus: boolean) {
    replace({ name: 'treasury', tab: id });
    if (focus) refs.current.get(id)?.focus();
  }
  function onKeyDown(e: KeyboardEvent, index: number) {
    const to = e.key === 'ArrowRight' ? index + 1 : e.key === 'ArrowLeft' ? index - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : null;
    if (to === null || tabs.length === 0) return;
    e.preventDefault();
    select(tabs[(to + tabs.length) % tabs.length]!.id, true);
  }

  return (
    <section className="treasury-page">
      <PageHeader title={t('treasury.title')} />
      <div role="tablist" aria-label={t('treasury.tabs')} className="treasury-tabs">
        {tabs.map((x, i) => (
          <button
            key={x.id}
            ref={(el) => {
              if (el) refs.current.set(x.id, el);
              else refs.current.delete(x.id);
            }}
            type="button"
            role="tab"
            id={`treasury-tab-${x.id}`}
            aria-selected={x.id === current?.id}
            aria-controls={`treasury-panel-${x.id}`}
            tabIndex={x.id === current?.id ? 0 : -1}
            className="treasury-tab"
            onClick={() => select(x.id, false)}
            onKeyDown={(e) => onKeyDown(e, i)}
          >
            {t(`treasury.tab.${x.id}`)}
          </button>
        ))}
      </div>
      {current ? (
        <div role="tabpanel" id={`treasury-panel-${current.id}`} aria-labelledby={`treasury-tab-${current.id}`} className="treasury-panel">
          {current.render()}
        </div>
      ) : null}
    </section>
  );
}
