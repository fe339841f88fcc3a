/**
 * Gap-free receipt numbers without a network (docs/treasury.md « Numérotation »; shared/domain/receiptNumber.ts).
 *
 * - Each device issues in its own series (`receipt_series`, one row per device, id = device id): the code is derived
 *   from the device id, skipping a code another device already holds. A folder restored from a backup gets a new
 *   device id (main/services/backup/reenroll.ts) and so a new series: it never reuses the numbers of the original.
 * - The next number of a series and year is 1 + the greatest `seq` this device wrote in it, read from `tax_receipts`
 *   itself inside the transaction that inserts the receipt: the number and the row commit together or not at all.
 *   A crash before the commit leaves neither (the number is given again, no gap); after it, both (no reuse). There
 *   is no separate counter that a crash, a restore or a sync could leave behind or ahead of the rows.
 * - Only the issuing device writes rows of its series, and never changes `number`, `series`, `year` or `seq` after
 *   the insert (a cancel changes `status`): a sync, in any order and any number of times, cannot change a number.
 */
import type { Knex } from 'knex';
import { formatReceiptNumber, seriesCode } from '../../../shared/domain/receiptNumber';
import type { Mutator, Row } from '../../db/mutations';

/** This folder's device id (`meta.device_id`, set at creation, join and restore). */
export async function localDeviceId(db: Knex | Knex.Transaction): Promise<string> {
  const r = (await db('meta').where({ key: 'device_id' }).first('value')) as { value: string } | undefined;
  if (!r) throw new Error('meta.device_id missing');
  return r.value;
}

/**
 * The series code of `deviceId`, registered in `receipt_series` on first use (through `mutator`, so the other devices
 * learn it at the next sync and never take it). Codes held by another device — registered, or seen on a receipt —
 * are skipped (next derivation).
 */
export async function seriesOf(trx: Knex.Transaction, mutator: Mutator, deviceId: string): Promise<string> {
  const mine = (await trx('receipt_series').where({ id: deviceId }).first('code')) as { code: string } | undefined;
  if (mine) return mine.code;
  for (let attempt = 0; ; attempt++) {
    const code = seriesCode(deviceId, attempt);
    const taken =
      (await trx('receipt_series').where({ code }).whereNot({ device_id: deviceId }).first('id')) ??
      (await trx('tax_receipts').where({ series: code }).whereNot({ device_id: deviceId }).first('id'));
    if (taken) continue;
    await mutator.insert('receipt_series', [{ id: deviceId, device_id: deviceId, code }]);
    return code;
  }
}

/** What `insertNumbered` wrote. */
export interface Numbered {
  id: string;
  number: string;
  series: string;
  year: number;
  seq: number;
}

/**
 * Gives the next number of this device's series for `year` and inserts the receipt row built by `row(numbered)` in
 * the same transaction `trx`. `row` receives the id and number (sealed fields are bound to the id) and returns the
 * other columns.
 */
export async function insertNumbered(
  trx: Knex.Transaction,
  mutator: Mutator,
  deviceId: string,
  year: number,
  id: string,
  row: (n: Numbered) => Promise<Row> | Row,
): Promise<Numbered> {
  const series = await seriesOf(trx, mutator, deviceId);
  const top = (await trx('tax_receipts').where({ series, year, device_id: deviceId }).max({ m: 'seq' }).first()) as { m: number | null } | undefined;
  const seq = (top?.m ?? 0) + 1;
  const n: Numbered = { id, number: formatReceiptNumber({ year, series, seq }), series, year, seq };
  const columns = await row(n);
  await mutator.insert('tax_receipts', [{ ...columns, id, number: n.number, series, year, seq, device_id: deviceId }]);
  return n;
}
