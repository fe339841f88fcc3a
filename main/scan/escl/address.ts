/**
 * Reads an eSCL address typed by hand into the scanner's eSCL root URL (docs/scanning.md "eSCL"):
 * `192.168.1.20` → `http://192.168.1.20/eSCL`; `imprimante.local:8080` → `http://imprimante.local:8080/eSCL`;
 * `https://10.0.0.5` → `https://10.0.0.5/eSCL`; a URL with a path keeps it (`http://h/scanner/eSCL`). An `escl:` id is
 * accepted too. Throws VALIDATION (French, quoting what was typed) for anything else.
 */
import { AppError } from '../../../shared/domain/errors';

export function esclRoot(address: string): string {
  const typed = address.trim().replace(/^escl:/i, '');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(typed) ? typed : `http://${typed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new AppError('VALIDATION', `Adresse de scanner incompréhensible : « ${address.slice(0, 100)} ». Exemple : 192.168.1.20 ou http://192.168.1.20/eSCL.`, { field: 'address' });
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname || url.username || url.password || url.search || url.hash) {
    throw new AppError('VALIDATION', `Adresse de scanner non prise en charge : « ${address.slice(0, 100)} » (http:// ou https:// seulement, sans identifiant). Exemple : http://192.168.1.20/eSCL.`, { field: 'address' });
  }
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path || '/eSCL'}`;
}
