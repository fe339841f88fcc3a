/**
 * Words for the conflicts screen: what a row is (its table in French when the core gives no label), which field
 * (the person form's labels for people, the task form's for tasks, then the sync screen's own, else the raw column
 * name), and a value as the person at the desk would read it (task status, paper type, kinds, dates…).
 */
import type { TFunction } from 'i18next';
import type { ConflictItem } from '../../../shared/contract/sync';
import { formatDate } from '../../app/format';
import fr from '../../i18n/fr.json';
import { formatDateTime } from './format';

type Fr = typeof fr;
type ColumnTables = Fr['sync']['columns'];

const has = <T extends object>(o: T, k: string): k is Extract<keyof T, string> => Object.hasOwn(o, k);

/** "first_name" → "firstName"; "assignee_id" → "assignee" (the forms name the person, not the id). */
function camelOf(column: string): string {
  return column.replace(/_id$/, '').replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The kind of row in words: « Personne », « Tâche »…; the raw table name when unknown. */
export function tableLabel(t: TFunction, table: string): string {
  return has(fr.sync.tables, table) ? t(`sync.tables.${table}`) : table;
}

/** The field in words; unknown columns keep their raw name. */
export function columnLabel(t: TFunction, table: string, column: string): string {
  const own = has(fr.sync.columns, table) ? (fr.sync.columns[table] as Record<string, string>) : null;
  if (own && Object.hasOwn(own, column)) return t(`sync.columns.${table as keyof ColumnTables}.${column}` as never);
  const camel = camelOf(column);
  if (table === 'people' && has(fr.person.fields, camel)) return t(`person.fields.${camel}`);
  if (table === 'tasks' && has(fr.tasks.fields, camel)) return t(`tasks.fields.${camel}`);
  if (has(fr.sync.columns.common, column)) return t(`sync.columns.common.${column}`);
  return column;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const BOOLEAN_COLUMNS = new Set(['disabled', 'is_admin', 'builtin']);

function jsonOf(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * One side of a conflict as text. `null` and '' read « (vide) », sealed content « (contenu protégé) » (the core
 * restores it as is; its text is never shown here).
 */
export function valueLabel(t: TFunction, item: Pick<ConflictItem, 'table' | 'column' | 'sealed'>, value: string | number | null, language: string): string {
  if (item.sealed) return t('conflicts.sealed');
  if (value === null || value === '') return t('conflicts.empty');
  const { table, column } = item;
  if (typeof value === 'number') {
    if (BOOLEAN_COLUMNS.has(column)) return value ? t('conflicts.yes') : t('conflicts.no');
    return String(value);
  }
  if (table === 'tasks' && column === 'status' && has(fr.tasks.status, value)) return t(`tasks.status.${value}`);
  if (table === 'tasks' && column === 'priority' && has(fr.tasks.priority, value)) return t(`tasks.priority.${value}`);
  if (table === 'documents' && column === 'type' && has(fr.documentTypes, value)) return t(`documentTypes.${value}`);
  if (table === 'people' && column === 'civility' && has(fr.person.civility, value)) return t(`person.civility.${value}`);
  if (column === 'kinds') {
    const kinds = jsonOf(value);
    if (Array.isArray(kinds)) {
      const words = kinds.map((k) => (typeof k === 'string' && has(fr.kinds, k) ? t(`kinds.${k}`) : String(k)));
      return words.length ? words.join(', ') : t('conflicts.empty');
    }
  }
  if (column === 'visibility') {
    const v = jsonOf(value) as { kind?: unknown } | undefined;
    if (v && typeof v.kind === 'string' && has(fr.visibility.kinds, v.kind)) return t(`visibility.kinds.${v.kind}`);
  }
  if (DATE.test(value)) return formatDate(value, language);
  if (INSTANT.test(value)) return formatDateTime(value, language);
  if (UUID.test(value)) return t('conflicts.reference', { id: value.slice(-6) });
  return value;
}
