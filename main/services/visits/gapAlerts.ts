/**
 * Gap alerts: when a change (a visit cancelled, moved or missed, a volunteer absent) leaves a person of a circle
 * without visit for longer than their rule within the next 72 hours, the circle's coordinator gets a task (one open
 * task per person at a time) and a notice (`notices`, polled by the shell). docs/volunteers.md "Alerts".
 * The task names no one in clear beyond its person link and times: « Visite à prévoir : aucune visite du 12/03 à 10:00 au
 * 14/03 à 18:00 (56 h) ».
 */
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { ALERT_HORIZON_HOURS, type VisitNotice } from '../../../shared/domain/volunteers';
import type { ServiceContext } from '../context';
import type { GapSpan } from './coverage';
import { COUNTING_STATUSES } from './coverage';
import { localIso, utcIso } from './time';

const ZONE = 'Europe/Paris';
export const ALERT_TITLE_PREFIX = 'Visite à prévoir';

type SpansOf = (db: Knex | Knex.Transaction, personId: string, from: DateTime, to: DateTime) => Promise<GapSpan[]>;
type RuleOf = (db: Knex | Knex.Transaction, personId: string) => Promise<{ maxGapHours: number }>;

/** How far past the horizon a gap's end (the next visit) is looked for, so the alert names its real end. */
const LOOK_AHEAD_DAYS = 31;

export class GapAlerts {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly spans: SpansOf,
    private readonly rule: RuleOf,
  ) {}

  /**
   * The gaps of `personId` where the rule breaks within the next 72 hours: stretches from the last visit before now
   * (or from now when none was ever recorded) to the next visit (looked for up to a month ahead), whose breaking
   * moment — the stretch's start plus N hours — comes before now + 72 h, and which are not over yet.
   */
  async due(db: Knex | Knex.Transaction, personId: string): Promise<GapSpan[]> {
    const now = DateTime.fromJSDate(this.ctx.clock.now(), { zone: ZONE });
    const { maxGapHours } = await this.rule(db, personId);
    const horizon = now.plus({ hours: ALERT_HORIZON_HOURS });
    const last = (await db('visits').where({ person_id: personId }).whereNull('deleted_at').whereIn('status', [...COUNTING_STATUSES]).where('start_at', '<=', utcIso(now)).max({ at: 'start_at' }).first()) as { at: string | null } | undefined;
    // Just before the last visit, so that the visit itself is a point of the rota.
    const start = last?.at ? DateTime.fromISO(last.at, { zone: ZONE }).minus({ milliseconds: 1 }) : now;
    const gaps = await this.spans(db, personId, start, horizon.plus({ days: LOOK_AHEAD_DAYS }));
    return gaps.filter((g) => g.from.plus({ hours: maxGapHours }) < horizon && g.to > now);
  }

  /**
   * Inside `trx`: when `personId` has a circle with a coordinator and a gap within 72 hours, adds a task for the
   * coordinator unless one is still open for that person. Returns true when a task was made. Audited (task.create).
   */
  async check(trx: Knex.Transaction, personId: string): Promise<boolean> {
    const circle = (await trx('circles').where({ person_id: personId }).whereNull('deleted_at').whereNotNull('coordinator_user_id').orderBy('created_at').first('id', 'coordinator_user_id')) as { id: string; coordinator_user_id: string } | undefined;
    if (!circle) return false;
    const gaps = await this.due(trx, personId);
    if (gaps.length === 0) return false;
    const open = await trx('tasks').where({ person_id: personId, assignee_id: circle.coordinator_user_id }).whereNull('deleted_at').whereNot('status', 'done').where('title', 'like', `${ALERT_TITLE_PREFIX}%`).first('id');
    if (open) return false;
    const g = gaps[0]!;
    const since = g.from.setZone(ZONE);
    const title = `${ALERT_TITLE_PREFIX} : aucune visite du ${since.toFormat('dd/MM à HH:mm')} au ${g.to.setZone(ZONE).toFormat('dd/MM à HH:mm')} (${Math.round(g.hours)} h)`;
    const { maxGapHours } = await this.rule(trx, personId);
    const by = since.plus({ hours: maxGapHours }); // when the rule breaks: the task's due day
    const [id] = await this.ctx.mutator.with(trx).insert('tasks', [
      { title, description: null, person_id: personId, assignee_id: circle.coordinator_user_id, due_date: by.toISODate(), priority: 'high', status: 'todo', visibility: '{"kind":"everyone"}', created_by: this.ctx.user.id },
    ]);
    await this.ctx.audit({ action: 'task.create', targetType: 'task', targetId: id!, details: { personId, visibility: 'everyone', gapAlert: true, circleId: circle.id } }, trx);
    return true;
  }

  /** Gaps within 72 hours of the people in the circles the current user coordinates. */
  async notices(): Promise<VisitNotice[]> {
    const circles = (await this.ctx.db('circles as c')
      .join('people', 'people.id', 'c.person_id')
      .where('c.coordinator_user_id', this.ctx.user.id)
      .whereNull('c.deleted_at')
      .whereNull('people.deleted_at')
      .select('c.id', 'c.person_id', 'people.first_name', 'people.last_name')) as { id: string; person_id: string; first_name: string; last_name: string }[];
    const out: VisitNotice[] = [];
    for (const c of circles) {
      for (const g of await this.due(this.ctx.db, c.person_id)) {
        out.push({ personId: c.person_id, personName: `${c.first_name} ${c.last_name}`.trim(), circleId: c.id, gap: { from: localIso(g.from, ZONE), to: localIso(g.to, ZONE), hours: g.hours } });
      }
    }
    return out;
  }
}
