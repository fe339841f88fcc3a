/**
 * The recovery code (issue 3 §8): shown once at creation, printable as a one-page PDF to keep in the office safe,
 * renewable by an administrator. Whoever holds it can reset any user's password and so read what that user reads:
 * it is the association's master key, which is why its use is audited and the sheet says where to keep it.
 */
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { getSodium } from '../../crypto/sodium';
import { wipe } from '../../crypto/aead';
import { newBoxKeyPair } from '../../crypto/identity';
import { calibratedCost, type KdfCost } from '../../crypto/kdf';
import { AppError } from '../../../shared/domain/errors';
import { formatRecoveryCode, makeRecovery } from '../../crypto/keyring';
import { attestKeyring, refreshWarnings } from './keyringSignature';
import type { ServiceContext } from '../context';
import type { OpenAssociation } from './associationStore';

/**
 * Replaces the recovery code (`users.manage`, and the root key opened: the new recovery slot is signed by it, see
 * docs/access.md "Keyring signature"): a new code and recovery key pair; the old code stops working at once.
 * Each user's escrow moves to the new key at their next unlock (until then a reset with the new code gives that user
 * new keys: what only they could read stays sealed). Returns the new code, to show once. Throws FORBIDDEN.
 */
export async function renewRecovery(ctx: ServiceContext, association: OpenAssociation, cost?: KdfCost): Promise<string> {
  ctx.access.require('users.manage');
  const root = ctx.scopes.root;
  if (!root.sign) throw new AppError('FORBIDDEN', "La clé racine de l'association n'est pas ouverte pour vous : un autre administrateur doit ouvrir une session avant que vous puissiez créer un code de secours.");
  const sodium = await getSodium();
  const code = formatRecoveryCode(sodium.randombytes_buf(16));
  const pair = await newBoxKeyPair();
  try {
    const recovery = await makeRecovery(association.associationId, code, association.dbKey, pair.secretKey, pair.publicKey, cost ?? (await calibratedCost()), root.publicKey);
    await attestKeyring(association, { publicKey: root.publicKey, sign: root.sign }, ctx.clock.now(), { cost, renewed: recovery });
    await ctx.audit({ action: 'recovery.renew', targetType: 'association', targetId: association.associationId, details: { recoveryPublicKey: recovery.publicKey } });
    await refreshWarnings(association, root.publicKey);
    return code;
  } finally {
    await wipe(pair.secretKey);
  }
}

/**
 * The recovery sheet: A4 portrait, the association's name, the date, the code in large characters and what to do with
 * it. Returns the PDF bytes.
 */
export async function recoverySheetPdf(associationName: string, code: string, printedOn: Date): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Code de secours — ${associationName}`);
  doc.setCreator('Solidariciel');
  const page = doc.addPage([595.28, 841.89]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const mono = await doc.embedFont(StandardFonts.CourierBold);
  const left = 60;
  let y = 770;
  const line = (text: string, size = 11, f = font, gap = 18) => {
    page.drawText(text, { x: left, y, size, font: f, color: rgb(0.1, 0.1, 0.1) });
    y -= gap;
  };
  line('Solidariciel — code de secours', 20, bold, 34);
  const drawable = drawableWith(font);
  line(`Association : ${drawable(associationName)}`, 13, font, 22);
  line(`Imprimé le ${printedOn.toLocaleDateString('fr-FR')}`, 11, font, 40);
  page.drawRectangle({ x: left - 10, y: y - 30, width: 495, height: 60, borderColor: rgb(0.2, 0.2, 0.2), borderWidth: 1.5 });
  page.drawText(code, { x: left + 8, y: y - 8, size: 24, font: mono });
  y -= 80;
  for (const text of [
    'Ce code permet de remettre à zéro le mot de passe de n’importe quel utilisateur,',
    'sans e-mail ni internet, depuis l’écran de déverrouillage (« Mot de passe oublié ? »).',
    '',
    'Rangez cette feuille dans le coffre du bureau. Ne la photographiez pas, ne l’envoyez pas.',
    'Toute utilisation du code est inscrite au journal des opérations.',
    'Un administrateur peut le remplacer (Utilisateurs › Nouveau code de secours) :',
    'l’ancien code cesse alors de fonctionner ; détruisez l’ancienne feuille.',
  ]) {
    line(drawable(text), 11);
  }
  return doc.save();
}

/**
 * Text as `font` can draw it: every character of its encoding is kept (the standard PDF fonts use WinAnsi, which has
 * ’ « » › — and …), anything else becomes « ? » instead of making pdf-lib throw.
 */
export function drawableWith(font: { getCharacterSet(): number[] }): (text: string) => string {
  const known = new Set(font.getCharacterSet());
  return (text) => Array.from(text, (c) => (known.has(c.codePointAt(0)!) ? c : '?')).join('');
}
