/**
 * Which tables sync and which of their columns stay on the device (DESIGN.md "Data model rules"). Derived columns
 * (search text, sort and matching keys) are recomputed by the receiving device after a merge (`refreshDerived`),
 * so a newer device that derives differently never overwrites an older one's index.
 */
import type { Knex } from 'knex';
import type { PersonInput } from '../../shared/domain/person';
import { personSearchText, memberNumberSearchText, personSortKey } from '../services/people/searchText';
import { personMatchKeys } from '../services/imports/matching';

/** Synced table → columns kept local. Every synced table has id, created_at, updated_at, deleted_at, scope_id. */
export const SYNCED_TABLES: Readonly<Record<string, readonly string[]>> = {
  users: [],
  roles: [],
  groups: [],
  group_members: [],
  households: [],
  people: ['search_text', 'sort_key', 'email_key', 'name_birth_key', 'member_search'],
  person_groups: [],
  tasks: [],
  documents: [],
  case_notes: [],
  consents: [],
  scope_key_pairs: [],
  scope_key_grants: [],
  root_key_grants: [],
  key_slots: [],
  device_revocations: [],
  erasures: [],
  retention_rules: [],
  retention_reviews: [],
  // Treasury (docs/treasury.md): amounts and payment details are sealed for the treasury scope.
  fee_types: [],
  dues_payments: [],
  dues_exemptions: [],
  ledger_entries: [],
  bank_lines: [],
  fee_tariffs: [],
  treasury_settings: [],
  papers_settings: [],
  deposit_receipts: [],
  // text recognised in papers (0170, docs/ocr.md): sealed under a key derived from the paper's document key
  document_texts: [],
  events: [],
  event_exceptions: [],
  event_people: [],
  // volunteers, circles, visit rota (0130, docs/volunteers.md)
  skills: [],
  volunteer_profiles: [],
  availability_slots: [],
  absences: [],
  circles: [],
  circle_members: [],
  visits: [],
  visit_rules: [],
  conversations: [],
  conversation_members: [],
  messages: [],
  message_reads: [],
  contact_drop_rules: [],
  // Gifts and tax receipts (docs/treasury.md « Dons et reçus fiscaux »)
  gifts: [],
  tax_receipts: [],
  receipt_series: [],
  receipt_settings: [],
};

/** Columns that change with every write: merged like the others, never listed as conflicts. */
export const BOOKKEEPING_COLUMNS: ReadonlySet<string> = new Set(['updated_at', 'created_at']);

/**
 * Columns whose losing values are never kept in `sync_history`: a paper's wrapped keys and sealed or clear title and
 * note. Replacing or removing a paper destroys its old key (crypto-shredding, docs/sync.md "Papers"); a copy kept
 * in the history would undo that on every device the change reaches.
 */
const SHREDDABLE_COLUMNS: Readonly<Record<string, ReadonlySet<string>>> = {
  documents: new Set(['wrapped_key', 'key_wraps', 'ciphertext', 'title', 'note']),
  document_texts: new Set(['ciphertext']),
};

/** True when a losing value of `table.column` is kept in `sync_history` (neither bookkeeping nor shreddable). */
export function keepsHistory(table: string, column: string): boolean {
  return !BOOKKEEPING_COLUMNS.has(column) && !(Object.hasOwn(SHREDDABLE_COLUMNS, table) && SHREDDABLE_COLUMNS[table]!.has(column));
}

export const isSyncedTable = (table: string): boolean => Object.hasOwn(SYNCED_TABLES, table);

/** The columns of `table` on this device (PRAGMA table_info), cached per database handle. */
export async function tableColumns(db: Knex | Knex.Transaction, table: string, cache: Map<string, TableShape>): Promise<TableShape | null> {
  const hit = cache.get(table);
  if (hit) return hit;
  const rows = (await db.raw(`PRAGMA table_info("${table.replace(/"/g, '')}")`)) as { name: string; notnull: number; dflt_value: unknown; type: string }[];
  if (rows.length === 0) return null;
  const local = new Set(SYNCED_TABLES[table] ?? []);
  const shape: TableShape = {
    all: new Set(rows.map((r) => r.name)),
    synced: rows.map((r) => r.name).filter((n) => !local.has(n)),
    // NOT NULL without a default: a row created by an update that arrived before its insert needs a placeholder.
    required: rows.filter((r) => r.notnull === 1 && r.dflt_value === null && r.name !== 'id').map((r) => ({ name: r.name, placeholder: /INT|REAL|NUM/i.test(r.type) ? 0 : '' })),
  };
  cache.set(table, shape);
  return shape;
}

export interface TableShape {
  all: Set<string>;
  synced: string[];
  required: { name: string; placeholder: string | number }[];
}

type Cell = string | number | null;

/** The derived columns of a merged row (people only): what `personToRow` would write for its current values. */
export function refreshDerived(table: string, row: Record<string, Cell>): Record<string, Cell> | null {
  if (table !== 'people') return null;
  const s = (k: string): string | null => (typeof row[k] === 'string' ? (row[k] as string) : null);
  let kinds: string[] = [];
  try {
    const parsed: unknown = JSON.parse(s('kinds') ?? '[]');
    if (Array.isArray(parsed)) kinds = parsed.filter((k): k is string => typeof k === 'string');
  } catch {
    kinds = [];
  }
  const p = {
    civility: s('civility'),
    firstName: s('first_name') ?? '',
    lastName: s('last_name') ?? '',
    birthDate: s('birth_date'),
    email: s('email'),
    phone: s('phone'),
    phone2: s('phone2'),
    addressLine: s('address_line'),
    postalCode: s('postal_code'),
    city: s('city'),
    country: s('country'),
    memberNumber: s('member_number'),
    kinds,
    membershipStart: s('membership_start'),
    membershipEnd: s('membership_end'),
    skills: s('skills'),
    availability: s('availability'),
    notes: s('notes'),
    householdId: s('household_id'),
  } as PersonInput;
  const keys = personMatchKeys(p);
  return {
    search_text: personSearchText(p),
    member_search: memberNumberSearchText(p.memberNumber),
    sort_key: personSortKey(p),
    email_key: keys.email,
    name_birth_key: keys.nameBirth,
  };
}
