/**
 * The iCalendar export (docs/agenda.md "iCalendar"): « Mon agenda » — the events naming the current user or written
 * by them, and their planned visits — or a support circle's plan. Only what the user can read goes into the file.
 * Audited (agenda.export) as a decrypted copy leaving the app.
 */
import { AppError } from '../../../shared/domain/errors';
import type { ServiceContext } from '../context';
import type { AgendaService } from './agendaService';
import { icsFileName, writeICalendar, type CalendarVisit } from './icalendar';

/** Where the planned visits come from (the visit rota); absent while no rota is wired. */
export interface VisitSource {
  /** The visits of the current user as a volunteer. */
  mine(): Promise<CalendarVisit[]>;
  /** A circle's name and the visits planned for it; NOT_FOUND when the user may not see it. */
  circle(circleId: string): Promise<{ name: string; visits: CalendarVisit[]; personIds: string[] }>;
}

export interface IcsExport {
  fileName: string;
  ics: string;
  events: number;
}

export class AgendaExport {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly agenda: AgendaService,
    private readonly visits: VisitSource | null,
  ) {}

  /** « Mon agenda » as iCalendar. Throws FORBIDDEN (agenda.read). */
  async mine(): Promise<IcsExport> {
    const events = await this.agenda.events((e) => this.agenda.involvesMe(e));
    const visits = this.visits ? await this.visits.mine() : [];
    const ics = writeICalendar(`Agenda de ${this.ctx.user.displayName}`, events, visits, this.ctx.clock.now());
    await this.ctx.audit({ action: 'agenda.export', details: { scope: 'user', events: events.length, visits: visits.length } });
    return { fileName: icsFileName(this.ctx.user.name), ics, events: events.length + visits.length };
  }

  /** A support circle's plan (its visits and the events about its person) as iCalendar. Throws FORBIDDEN, NOT_FOUND. */
  async circle(circleId: string): Promise<IcsExport> {
    this.ctx.access.require('agenda.read');
    if (!this.visits) throw new AppError('NOT_FOUND', 'Cercle introuvable.');
    const circle = await this.visits.circle(circleId);
    const events = await this.agenda.events((e) => e.personIds.some((p) => circle.personIds.includes(p)));
    const ics = writeICalendar(`Cercle ${circle.name}`, events, circle.visits, this.ctx.clock.now());
    await this.ctx.audit({ action: 'agenda.export', targetType: 'circle', targetId: circleId, details: { scope: 'circle', events: events.length, visits: circle.visits.length } });
    return { fileName: icsFileName(`cercle ${circle.name}`), ics, events: events.length + circle.visits.length };
  }
}
