/**
 * `volunteers set | find`, `visits rule | plan | cancel | done | gaps`, `circles add` (docs/volunteers.md). Times are
 * local Europe/Paris (`YYYY-MM-DDTHH:MM`) unless they carry an offset; they are checked before unlocking.
 */
import { WEEKDAYS, type AvailabilitySlot } from '../../../shared/domain/volunteers';
import { checkId, optional, optionalDate, required, UsageError, type Cli } from '../context';
import { userIds } from '../lookup';
import type { Command } from './types';

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?$/;

/** A date-time option; UsageError naming it when malformed. */
function dateTime(values: Record<string, unknown>, name: string, needed: true): string;
function dateTime(values: Record<string, unknown>, name: string, needed: false): string | undefined;
function dateTime(values: Record<string, unknown>, name: string, needed: boolean): string | undefined {
  const v = needed ? required(values, name) : optional(values, name);
  if (v !== undefined && !LOCAL_TIME.test(v)) throw new UsageError(`Option --${name} : date et heure attendues au format AAAA-MM-JJTHH:MM (reçu « ${v} »).`);
  return v;
}

/** A positive whole number option; UsageError naming it. */
function count(values: Record<string, unknown>, name: string, min = 1): number | undefined {
  const v = optional(values, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min) throw new UsageError(`Option --${name} : nombre entier${min > 0 ? ' positif' : ''} attendu (reçu « ${v} »).`);
  return Number(v);
}

/**
 * `mon 14:00-18:00,thu 09:00-12:00` → weekly slots (1 = Monday). Throws UsageError naming the item that is not
 * « jour HH:MM-HH:MM » with a day among mon…sun.
 */
export function parseAvailability(text: string): AvailabilitySlot[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((item) => {
      const m = /^([a-z]{3})\s+(\d{2}:\d{2})-(\d{2}:\d{2})$/i.exec(item);
      const day = m ? WEEKDAYS.indexOf(m[1]!.toLowerCase() as (typeof WEEKDAYS)[number]) : -1;
      if (!m || day < 0 || !/^([01]\d|2[0-3]):[0-5]\d$/.test(m[2]!) || !/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/.test(m[3]!) || m[2]! >= m[3]!) {
        throw new UsageError(`Option --availability : « ${item} » n’est pas un créneau « jour HH:MM-HH:MM » (jours : ${WEEKDAYS.join(', ')} ; la fin après le début).`);
      }
      return { weekday: day + 1, start: m[2]!, end: m[3]! };
    });
}

/** `week`, `2weeks`, `2 weeks` → the interval in weeks. */
function every(values: Record<string, unknown>): number | undefined {
  const v = optional(values, 'every');
  if (v === undefined) return undefined;
  const m = /^(?:(\d{1,2})\s*)?weeks?$/i.exec(v.trim());
  if (!m || (m[1] !== undefined && (Number(m[1]) < 1 || Number(m[1]) > 12))) throw new UsageError(`Option --every : « week » ou « N weeks » (1 à 12) attendu (reçu « ${v} »).`);
  return m[1] ? Number(m[1]) : 1;
}

async function unlock(cli: Cli, dir: string, values: Record<string, unknown>): Promise<void> {
  await cli.unlock(dir, optional(values, 'user'));
}

export const volunteerCommands: Command[] = [
  {
    words: 'volunteers set',
    usage: 'volunteers set DIR --member ID [--skills S1,S2] [--availability "mon 14:00-18:00,thu 09:00-12:00"] [--area A] [--hours N] [--account UTILISATEUR] [--json]',
    options: { member: { type: 'string' }, skills: { type: 'string' }, availability: { type: 'string' }, area: { type: 'string' }, hours: { type: 'string' }, account: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const personId = checkId(required(values, 'member'), 'Option --member');
      const skills = values['skills'] === undefined ? undefined : String(values['skills']).split(',').map((s) => s.trim()).filter((s) => s !== '');
      const availability = values['availability'] === undefined ? undefined : parseAvailability(String(values['availability']));
      const hours = count(values, 'hours', 0);
      await unlock(cli, positionals[0]!, values);
      const account = optional(values, 'account');
      const current = await cli.call('volunteers:get', { personId });
      // Options not given keep the profile's current values.
      await cli.call('volunteers:save', {
        personId,
        userId: account ? (await userIds(cli, [account]))[0]! : (current?.userId ?? null),
        skills: skills ?? current?.skills ?? [],
        availability: availability ?? current?.availability ?? [],
        area: values['area'] === undefined ? (current?.area ?? null) : String(values['area']),
        hoursPerMonth: hours ?? current?.hoursPerMonth ?? null,
      });
      const saved = (await cli.call('volunteers:get', { personId }))!;
      if (json) cli.json({ personId, skills: saved.skills, availability: saved.availability, area: saved.area, hoursPerMonth: saved.hoursPerMonth });
      else cli.say(`Bénévole ${personId} enregistré : ${saved.skills.join(', ') || 'aucune compétence'}${saved.area ? ` ; ${saved.area}` : ''}.`);
    },
  },
  {
    words: 'volunteers find',
    usage: 'volunteers find DIR [--skill S] [--at AAAA-MM-JJTHH:MM] [--area A] [--json]',
    options: { skill: { type: 'string' }, at: { type: 'string' }, area: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const at = dateTime(values, 'at', false);
      await unlock(cli, positionals[0]!, values);
      const { items } = await cli.call('volunteers:find', { skill: optional(values, 'skill'), at, area: optional(values, 'area') });
      if (json) cli.json(items.map((v) => ({ personId: v.personId, skills: v.skills, area: v.area })));
      else for (const v of items) cli.say(`${v.personId}  ${v.name}  ${v.skills.join(', ')}${v.area ? `  (${v.area})` : ''}`);
    },
  },
  {
    words: 'visits rule',
    usage: 'visits rule DIR --member ID --max-gap-hours N [--json]',
    options: { member: { type: 'string' }, 'max-gap-hours': { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const personId = checkId(required(values, 'member'), 'Option --member');
      const hours = count(values, 'max-gap-hours');
      if (hours === undefined) throw new UsageError('Option --max-gap-hours obligatoire.');
      await unlock(cli, positionals[0]!, values);
      const current = await cli.call('visits:rule', { personId });
      const rule = await cli.call('visits:setRule', { personId, maxGapHours: hours, skills: current.skills, area: current.area });
      if (json) cli.json(rule);
      else cli.say(`Règle : jamais plus de ${rule.maxGapHours} heures sans visite.`);
    },
  },
  {
    words: 'visits plan',
    usage: 'visits plan DIR --member ID --volunteer ID --at AAAA-MM-JJTHH:MM [--minutes N] [--every week] [--until AAAA-MM-JJ] [--json]',
    options: { member: { type: 'string' }, volunteer: { type: 'string' }, at: { type: 'string' }, minutes: { type: 'string' }, every: { type: 'string' }, until: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const personId = checkId(required(values, 'member'), 'Option --member');
      const volunteerId = checkId(required(values, 'volunteer'), 'Option --volunteer');
      const at = dateTime(values, 'at', true);
      const minutes = count(values, 'minutes');
      const interval = every(values);
      let until = optionalDate(values, 'until');
      if (until && interval === undefined) throw new UsageError('Option --until : seulement avec --every.');
      // A series without an end covers the 4 weeks the rota shows.
      if (interval !== undefined && !until) until = new Date(Date.parse(`${at.slice(0, 10)}T12:00:00Z`) + 27 * 86_400_000).toISOString().slice(0, 10);
      await unlock(cli, positionals[0]!, values);
      const r = await cli.call('visits:plan', { personId, volunteerId, at, minutes, recurrence: interval !== undefined ? { interval, until: until! } : undefined });
      if (json) cli.json(r);
      else cli.say(`${r.ids.length} visite(s) planifiée(s).`);
    },
  },
  {
    words: 'visits cancel',
    usage: 'visits cancel DIR --visit ID [--json]',
    options: { visit: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const id = checkId(required(values, 'visit'), 'Option --visit');
      await unlock(cli, positionals[0]!, values);
      const r = await cli.call('visits:cancel', { id });
      if (json) cli.json(r);
      else cli.say(`Visite ${id} annulée.`);
    },
  },
  {
    words: 'visits done',
    usage: 'visits done DIR --visit ID [--minutes N] [--note TEXTE] [--json]',
    options: { visit: { type: 'string' }, minutes: { type: 'string' }, note: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const id = checkId(required(values, 'visit'), 'Option --visit');
      const minutes = count(values, 'minutes', 0);
      const note = optional(values, 'note');
      if (note && note.length > 2000) throw new UsageError('Option --note : 2000 caractères au plus.');
      await unlock(cli, positionals[0]!, values);
      const r = await cli.call('visits:done', { id, minutesSpent: minutes, note });
      if (json) cli.json(r);
      else cli.say(`Visite ${id} faite.`);
    },
  },
  {
    words: 'visits gaps',
    usage: 'visits gaps DIR --member ID --from AAAA-MM-JJTHH:MM --to AAAA-MM-JJTHH:MM [--json]',
    options: { member: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const personId = checkId(required(values, 'member'), 'Option --member');
      const from = dateTime(values, 'from', true);
      const to = dateTime(values, 'to', true);
      await unlock(cli, positionals[0]!, values);
      const r = await cli.call('visits:gaps', { personId, from, to });
      if (json) cli.json(r.items);
      else if (r.items.length === 0) cli.say(`Aucun trou : jamais plus de ${r.maxGapHours} heures sans visite.`);
      else for (const g of r.items) cli.say(`Du ${g.from} au ${g.to} : ${g.hours} h sans visite (règle : ${r.maxGapHours} h).`);
    },
  },
  {
    words: 'circles add',
    usage: 'circles add DIR --name N --member ID [--coordinator UTILISATEUR] [--json]',
    options: { name: { type: 'string' }, member: { type: 'string' }, coordinator: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run(cli, { positionals, values, json }) {
      const name = required(values, 'name').trim();
      const personId = checkId(required(values, 'member'), 'Option --member');
      if (name.length > 100) throw new UsageError('Option --name : 100 caractères au plus.');
      await unlock(cli, positionals[0]!, values);
      const coordinator = optional(values, 'coordinator');
      const coordinatorUserId = coordinator ? (await userIds(cli, [coordinator]))[0]! : null;
      const r = await cli.call('circles:create', { name, personId, coordinatorUserId });
      if (json) cli.json(r);
      else cli.say(`Cercle « ${name} » créé : ${r.id}.`);
    },
  },
];
