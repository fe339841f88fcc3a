/**
 * Contact-drop alert (docs/messages.md "Contact-drop alert"): for every accompanied person (kind `beneficiary`, not
 * archived) the user may see, the contacts recorded — case notes written, tasks about them done, visits done (support
 * circles, when that table exists) — compared with the person's own rhythm by `assessContacts`
 * (shared/domain/contactDrop.ts). Only dates are read: a note the coordinator cannot decrypt still counts as a contact,
 * its text stays sealed. Needs `contacts.alerts`, or coordinating the person's support circle; the coordinator of
 * that circle also gets a task (one open at a time per person). The thresholds are per association in the synced
 * `contact_drop_rules` row (`settings.manage` to change them).
 */
import type { Knex } from 'knex';
import { assessContacts, contactDropRules, DEFAULT_CONTACT_DROP_RULES, explainDrop, type ContactDrop, type ContactDropRules } from '../../../shared/domain/contactDrop';
import type { ServiceContext } from '../context';

const RULES_ID = 'rules';
/** The title of the coordinator's task (« Contacts en baisse : 1 contact ces 14 derniers jours, contre 4 … »). */
export const DROP_TASK_PREFIX = 'Contacts en baisse';

interface RulesRow {
  recent_days: number;
  baseline_weeks: number;
  threshold_percent: number;
  min_baseline_per_week: number;
}

/**
 * Where contacts come from: one SELECT per source giving (person_id, at). Visits come from the volunteers' `visits`
 * table (status `done`, at their start time).
 */
async function contactTimes(db: Knex, personIds: readonly string[], since: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const add = (rows: { person_id: string; at: string | null }[]) => {
    for (const r of rows) if (r.at) out.set(r.person_id, [...(out.get(r.person_id) ?? []), r.at]);
  };
  for (let i = 0; i < personIds.length; i += 500) {
    const ids = personIds.slice(i, i + 500);
    add(await db('case_notes').whereIn('person_id', ids).whereNull('deleted_at').whereNull('revises_id').where('created_at', '>=', since).select('person_id', 'created_at as at'));
    add(await db('tasks').whereIn('person_id', ids).whereNull('deleted_at').where('status', 'done').where('completed_at', '>=', since).select('person_id', 'completed_at as at'));
    if (await visitsTable(db)) add(await db('visits').whereIn('person_id', ids).whereNull('deleted_at').where('status', 'done').where('start_at', '>=', since).select('person_id', 'start_at as at'));
  }
  return out;
}

async function visitsTable(db: Knex): Promise<boolean> {
  if (!(await db.schema.hasTable('visits'))) return false;
  const cols = ((await db.raw('PRAGMA table_info(visits)')) as { name: string }[]).map((c) => c.name);
  return ['person_id', 'status', 'start_at'].every((c) => cols.includes(c));
}

/** The association's thresholds (the defaults when never saved). */
export async function readContactDropRules(db: Knex | Knex.Transaction): Promise<ContactDropRules> {
  const r = (await db('contact_drop_rules').where({ id: RULES_ID }).whereNull('deleted_at').first()) as RulesRow | undefined;
  if (!r) return { ...DEFAULT_CONTACT_DROP_RULES };
  const parsed = contactDropRules.safeParse({ recentDays: r.recent_days, baselineWeeks: r.baseline_weeks, thresholdPercent: r.threshold_percent, minBaselinePerWeek: r.min_baseline_per_week });
  // A damaged row (written outside the app) falls back to the defaults rather than silencing every alert.
  return parsed.success ? parsed.data : { ...DEFAULT_CONTACT_DROP_RULES };
}

export class ContactDropService {
  constructor(private readonly ctx: ServiceContext) {}

  async rules(): Promise<ContactDropRules> {
    this.ctx.access.require('contacts.alerts');
    return readContactDropRules(this.ctx.db);
  }

  /** Saves the thresholds (`settings.manage`), audited. */
  async save(rules: ContactDropRules): Promise<ContactDropRules> {
    this.ctx.access.require('settings.manage');
    const row = { recent_days: rules.recentDays, baseline_weeks: rules.baselineWeeks, threshold_percent: rules.thresholdPercent, min_baseline_per_week: rules.minBaselinePerWeek };
    await this.ctx.db.transaction(async (trx) => {
      const m = this.ctx.mutator.with(trx);
      if (await trx('contact_drop_rules').where({ id: RULES_ID }).first('id')) await m.update('contact_drop_rules', RULES_ID, { ...row, deleted_at: null });
      else await m.insert('contact_drop_rules', [{ id: RULES_ID, ...row }]);
      await this.ctx.audit({ action: 'contacts.rulesUpdate', targetType: 'settings', targetId: RULES_ID, details: rules }, trx);
    });
    return readContactDropRules(this.ctx.db);
  }

  /** The accompanied people whose contacts dropped at `now` (default: the clock), sharpest first. */
  async drops(now = this.ctx.clock.now()): Promise<{ items: ContactDrop[]; rules: ContactDropRules }> {
    const coordinated = await this.coordinatedPeople();
    if (!this.ctx.access.has('contacts.alerts') && coordinated.length === 0) this.ctx.access.require('contacts.alerts');
    const rules = await readContactDropRules(this.ctx.db);
    const q = this.ctx.db('people').whereNull('people.deleted_at').whereNull('people.archived_at').where('people.kinds', 'like', '%"beneficiary"%');
    // With contacts.alerts: every accompanied person the user may see; a circle's coordinator: the circle's person.
    if (!this.ctx.access.has('contacts.alerts')) q.whereIn('people.id', coordinated);
    else if (!this.ctx.access.scopePeople(q)) return { items: [], rules };
    const people = (await q.select('people.id', 'people.first_name', 'people.last_name')) as { id: string; first_name: string; last_name: string }[];
    const since = new Date(now.getTime() - (rules.recentDays + rules.baselineWeeks * 7) * 86_400_000).toISOString();
    const times = await contactTimes(this.ctx.db, people.map((p) => p.id), since);
    const items: (ContactDrop & { ratio: number })[] = [];
    for (const p of people) {
      const contacts = times.get(p.id) ?? [];
      const a = assessContacts(contacts, now, rules);
      if (!a.drop) continue;
      const last = contacts.filter((c) => Date.parse(c) <= now.getTime()).sort().at(-1) ?? null;
      items.push({
        personId: p.id,
        name: `${p.first_name} ${p.last_name}`.trim(),
        recent: a.recent,
        recentDays: rules.recentDays,
        baselinePerWeek: Math.round(a.baselinePerWeek * 10) / 10,
        lastContactAt: last ? new Date(last).toISOString() : null,
        explanation: explainDrop(a, rules.recentDays),
        ratio: a.recent / (rules.recentDays / 7) / a.baselinePerWeek,
      });
    }
    items.sort((x, y) => x.ratio - y.ratio || x.name.localeCompare(y.name, 'fr'));
    await this.raiseTasks(items);
    return { items: items.map(({ ratio: _r, ...d }) => d), rules };
  }

  /** The people of the circles the current user coordinates. */
  private async coordinatedPeople(): Promise<string[]> {
    if (!(await this.ctx.db.schema.hasTable('circles'))) return [];
    return (await this.ctx.db('circles').where({ coordinator_user_id: this.ctx.user.id }).whereNull('deleted_at').whereNotNull('person_id').pluck('person_id')) as string[];
  }

  /**
   * For each drop whose person has a circle with a coordinator, a task for that coordinator (one open at a time per
   * person), titled with the plain-French explanation. Audited (task.create). Returns the tasks made.
   */
  private async raiseTasks(drops: readonly ContactDrop[]): Promise<number> {
    if (drops.length === 0 || !(await this.ctx.db.schema.hasTable('circles'))) return 0;
    let made = 0;
    await this.ctx.db.transaction(async (trx) => {
      for (const d of drops) {
        const circle = (await trx('circles').where({ person_id: d.personId }).whereNull('deleted_at').whereNotNull('coordinator_user_id').orderBy('created_at').first('id', 'coordinator_user_id')) as { id: string; coordinator_user_id: string } | undefined;
        if (!circle) continue;
        const open = await trx('tasks').where({ person_id: d.personId, assignee_id: circle.coordinator_user_id }).whereNull('deleted_at').whereNot('status', 'done').where('title', 'like', `${DROP_TASK_PREFIX}%`).first('id');
        if (open) continue;
        const [id] = await this.ctx.mutator.with(trx).insert('tasks', [
          { title: `${DROP_TASK_PREFIX} : ${d.explanation}`, description: null, person_id: d.personId, assignee_id: circle.coordinator_user_id, due_date: null, priority: 'high', status: 'todo', visibility: '{"kind":"everyone"}', created_by: this.ctx.user.id },
        ]);
        await this.ctx.audit({ action: 'task.create', targetType: 'task', targetId: id!, details: { personId: d.personId, visibility: 'everyone', contactDrop: true, circleId: circle.id } }, trx);
        made++;
      }
    });
    return made;
  }
}
