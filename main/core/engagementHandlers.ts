/** Handlers of engagement (shared/contract/engagement.ts), merged into buildHandlers. docs/agenda.md "Engagement". */
import type { Handler } from './dispatch';
import type { Session } from './session';
import type { engagementChannels } from '../../shared/contract/engagement';
import { EngagementService } from '../services/engagement/engagementService';

type EngagementHandlers = { [C in keyof typeof engagementChannels]: Handler<C> };

/** The engagement channels over the session `s()` returns (throws LOCKED when none). */
export function engagementHandlers(s: () => Session): EngagementHandlers {
  const engagement = () => new EngagementService(s().ctx);
  return {
    'engagement:mine': async () => engagement().mine(),
    'engagement:idle': async (r) => ({ items: await engagement().idle(r.days) }),
    'engagement:hours': async (r) => ({ items: await engagement().hours(r.year) }),
    'engagement:hoursCsv': async (r) => engagement().hoursCsv(r.year),
  };
}
