/**
 * Bank statements in OFX (Open Financial Exchange 1.x SGML and 2.x XML, as French banks export them « au format
 * Money »), parsed with ofx-js. Each STMTTRN of a bank or card statement becomes a line: DTPOSTED (AAAAMMJJ…) → date,
 * TRNAMT (signed; French banks write a decimal comma) → cents, NAME + MEMO → label, CHECKNUM → cheque number, FITID
 * → the bank's id (re-importing the same transaction is then recognised). A transaction that cannot be read gets a
 * French message naming its line in the file; the others are kept.
 */
import { parseSync } from 'ofx-js';
import type { StatementLine } from '../../../shared/domain/ledger';
import { isCalendarDay } from '../../../shared/domain/dates';
import { decodeText } from '../imports/encoding';
import type { ParsedStatement } from './statementCsv';
import { parseStatementCsv, statementAmount } from './statementCsv';
import { chequeNumberIn } from './statementText';

type Node = Record<string, unknown>;
const asArray = (v: unknown): Node[] => (Array.isArray(v) ? (v as Node[]) : v && typeof v === 'object' ? [v as Node] : []);
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** True when the bytes look like an OFX file (an OFXHEADER line or an <OFX> element near the start). */
export function looksLikeOfx(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
  return /OFXHEADER|<OFX>/i.test(head);
}

/** The transactions of every statement in the file (bank accounts and cards). */
function transactions(ofx: Node): Node[] {
  const out: Node[] = [];
  for (const [set, rs] of [['BANKMSGSRSV1', 'STMTRS'], ['CREDITCARDMSGSRSV1', 'CCSTMTRS']] as const) {
    for (const msgs of asArray(ofx[set])) {
      for (const trnrs of asArray(msgs[set === 'BANKMSGSRSV1' ? 'STMTTRNRS' : 'CCSTMTTRNRS'])) {
        for (const stmt of asArray(trnrs[rs])) {
          for (const list of asArray(stmt['BANKTRANLIST'])) out.push(...asArray(list['STMTTRN']));
        }
      }
    }
  }
  return out;
}

/** `20261103`, `20261103120000[+1:CET]` → `2026-11-03`; null when not a real day. */
function ofxDate(v: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(v);
  if (!m || !isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3]))) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** Reads an OFX statement. A file ofx-js cannot parse gives one error at line 0. */
export function parseStatementOfx(bytes: Uint8Array): ParsedStatement {
  const { text } = decodeText(bytes);
  let parsed: Node;
  try {
    parsed = parseSync(text).OFX as Node;
  } catch (e) {
    return { lines: [], errors: [{ line: 0, message: `Fichier OFX illisible : ${e instanceof Error ? e.message : 'structure invalide'}.` }] };
  }
  // Line of each <STMTTRN> in the file, in order, to name the line of a bad transaction.
  const starts: number[] = [];
  const re = /<STMTTRN>/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(text.slice(0, m.index).split('\n').length);
  const out: ParsedStatement = { lines: [], errors: [] };
  transactions(parsed).forEach((t, i) => {
    const line = starts[i] ?? 0;
    const date = ofxDate(str(t['DTPOSTED']));
    if (!date) {
      out.errors.push({ line, message: `Ligne ${line} : date d’opération illisible « ${str(t['DTPOSTED'])} » (AAAAMMJJ attendu). Opération ignorée.` });
      return;
    }
    const amountCents = statementAmount(str(t['TRNAMT']));
    if (amountCents === null || amountCents === 0) {
      out.errors.push({ line, message: `Ligne ${line} : montant illisible « ${str(t['TRNAMT'])} ». Opération ignorée.` });
      return;
    }
    const label = [str(t['NAME']), str(t['MEMO'])].filter((s) => s !== '').join(' ');
    const l: StatementLine & { line: number } = { line, date, amountCents, label, chequeNumber: str(t['CHECKNUM']).replace(/\D/g, '') || chequeNumberIn(label), bankId: str(t['FITID']) };
    out.lines.push(l);
  });
  return out;
}

/** Reads a statement in either format (OFX recognised by its header, CSV otherwise). */
export function parseStatement(bytes: Uint8Array): ParsedStatement {
  return looksLikeOfx(bytes) ? parseStatementOfx(bytes) : parseStatementCsv(bytes);
}
