/**
 * The line at the top of a person's page that says what needs doing (docs/ui.md « Person page »):
 * « 1 pièce expirée · 1 tâche en retard · consentement à recueillir », each a link to its section (focus moves to
 * the section's heading). An item shows only when its section is shown and has read its list; nothing to do →
 * « Rien en attente ».
 */
import { useTranslation } from 'react-i18next';

export interface SummaryCounts {
  /** Papers whose expiry date is past; null when the papers are not shown (no right) or not read yet. */
  expiredPapers: number | null;
  /** Tasks not done whose due date is past; null as above. */
  overdueTasks: number | null;
  /** True when no consent is in force; null as above. */
  consentMissing: boolean | null;
}

/** Moves the focus to a section heading (made focusable) and scrolls it into view. */
function goTo(headingId: string): void {
  const el = document.getElementById(headingId);
  if (!el) return;
  el.setAttribute('tabindex', '-1');
  el.scrollIntoView({ block: 'start' });
  el.focus({ preventScroll: true });
}

export function PersonSummary({ counts }: { counts: SummaryCounts }) {
  const { t } = useTranslation();
  const items: { key: string; text: string; target: string }[] = [];
  if (counts.expiredPapers) items.push({ key: 'papers', text: t('person.summary.expiredPapers', { count: counts.expiredPapers }), target: 'papers-title' });
  if (counts.overdueTasks) items.push({ key: 'tasks', text: t('person.summary.overdueTasks', { count: counts.overdueTasks }), target: 'person-tasks-title' });
  if (counts.consentMissing) items.push({ key: 'consent', text: t('person.summary.consentMissing'), target: 'consents-title' });
  const ready = counts.expiredPapers !== null || counts.overdueTasks !== null || counts.consentMissing !== null;
  return (
    <nav className={items.length ? 'person-summary attention' : 'person-summary'} aria-label={t('person.summary.label')} data-testid="person-summary">
      {items.length ? (
        <ul>
          {items.map((i) => (
            <li key={i.key}>
              <a
                href={`#${i.target}`}
                onClick={(e) => {
                  e.preventDefault();
                  goTo(i.target);
                }}
              >
                {i.text}
              </a>
            </li>
          ))}
        </ul>
      ) : ready ? (
        <p>{t('person.summary.nothing')}</p>
      ) : null}
    </nav>
  );
}
