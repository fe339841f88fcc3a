/**
 * Finding words inside papers (docs/ocr.md "Search"): the recognised text of the papers the current user may read —
 * the vault's own list, so a paper of a person they may not see, or sealed to others ("only me"), is never opened —
 * is searched accent- and case-insensitively (the people search's folding: main/services/people/searchText.ts).
 * Texts are opened once and kept in memory for the session (they are no more exposed there than the open database);
 * a text row changed by sync or by a new recognition is opened again.
 */
import { AppError } from '../../../shared/domain/errors';
import { DOCUMENT_TYPE_LABELS_FR, type VaultDocument } from '../../../shared/domain/document';
import { foldLetters } from '../../../shared/domain/text';
import { wipe } from '../../crypto/aead';
import type { ServiceContext } from '../context';
import { foldForSearch } from '../people/searchText';
import type { VaultService } from '../vault/vaultService';
import { openPageText } from './textSeal';

/** One paper found: where (person, paper, page) and a snippet of the text around the first word found. */
export interface TextHit {
  documentId: string;
  personId: string;
  personName: string;
  type: VaultDocument['type'];
  /** The paper's title, else its type in French (« Avis d'imposition 2025 »). */
  label: string;
  page: number;
  snippet: string;
}

interface OpenedPage {
  updatedAt: string;
  page: number;
  words: string[];
  /** Folded tokens of each word (a word with an apostrophe or a hyphen gives several). */
  tokens: string[][];
}

/** Words of context on each side of the word found. */
const CONTEXT_WORDS = 6;

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function tokensOf(word: string): string[] {
  return foldLetters(word).replace(/[^\p{L}\p{N}@.+_-]+/gu, ' ').trim().split(' ').filter((t) => t !== '');
}

/** Index of the first word holding `term` (a whole token for a one-letter term), or -1. */
function firstWord(page: OpenedPage, term: string): number {
  return page.tokens.findIndex((tokens) => tokens.some((t) => (term.length === 1 ? t === term : t.includes(term))));
}

export class TextSearch {
  private readonly pages = new Map<string, OpenedPage>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly vault: VaultService,
  ) {}

  /**
   * Papers the user may read whose recognised text holds every word of `query` (folded; 2 to 200 characters),
   * newest paper first, at most `limit`. Throws FORBIDDEN (documents.read), VALIDATION (query too short or long).
   */
  async search(query: string, limit = 20): Promise<TextHit[]> {
    this.ctx.access.require('documents.read');
    const terms = foldForSearch(query).split(' ').filter((t) => t !== '');
    if (terms.join('').length < 2 || query.length > 200) throw new AppError('VALIDATION', 'Recherche dans les pièces : saisissez de 2 à 200 caractères.', { field: 'query' });
    const papers = await this.vault.list();
    if (papers.length === 0) return [];
    const bySha = new Map(papers.map((p) => [p.id, p]));
    const rows = (await this.ctx.db('document_texts').whereIn('document_id', [...bySha.keys()]).whereNull('deleted_at').select('id', 'document_id', 'page', 'sha256', 'ciphertext', 'updated_at')) as { id: string; document_id: string; page: number; sha256: string; ciphertext: string; updated_at: string }[];
    const current = rows.filter((r) => bySha.get(r.document_id)?.sha256 === r.sha256);
    await this.openMissing(current);
    const hits: TextHit[] = [];
    const names = await this.personNames([...new Set(papers.map((p) => p.personId))]);
    const sortedRows = current.sort((a, b) => a.page - b.page);
    for (const paper of papers) {
      for (const row of sortedRows) {
        if (row.document_id !== paper.id) continue;
        const page = this.pages.get(row.id);
        if (!page || !terms.every((t) => firstWord(page, t) >= 0)) continue;
        const at = firstWord(page, terms.reduce((a, b) => (b.length > a.length ? b : a)));
        const from = Math.max(0, at - CONTEXT_WORDS);
        const to = Math.min(page.words.length, at + CONTEXT_WORDS + 1);
        const snippet = `${from > 0 ? '… ' : ''}${page.words.slice(from, to).join(' ')}${to < page.words.length ? ' …' : ''}`;
        hits.push({ documentId: paper.id, personId: paper.personId, personName: names.get(paper.personId) ?? '', type: paper.type, label: paper.title ?? capitalised(DOCUMENT_TYPE_LABELS_FR[paper.type]), page: row.page, snippet });
        break;
      }
      if (hits.length >= limit) break;
    }
    return hits;
  }

  /** Opens the rows not in memory yet (or changed since), paper by paper (one key each). */
  private async openMissing(rows: { id: string; document_id: string; page: number; sha256: string; ciphertext: string; updated_at: string }[]): Promise<void> {
    const missing = rows.filter((r) => this.pages.get(r.id)?.updatedAt !== r.updated_at);
    const byPaper = new Map<string, typeof missing>();
    for (const r of missing) byPaper.set(r.document_id, [...(byPaper.get(r.document_id) ?? []), r]);
    for (const [documentId, list] of byPaper) {
      const found = await this.vault.find(documentId, true).catch(() => null);
      const docKey = found?.opened.docKey;
      if (!docKey) continue;
      try {
        for (const r of list) {
          const text = await openPageText(docKey, documentId, r.page, r.sha256, r.ciphertext);
          if (!text) continue;
          const words = text.text.split(/\s+/u).filter((w) => w !== '');
          this.pages.set(r.id, { updatedAt: r.updated_at, page: r.page, words, tokens: words.map(tokensOf) });
        }
      } finally {
        await wipe(docKey);
      }
    }
  }

  private async personNames(ids: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = (await this.ctx.db('people').whereIn('id', ids.slice(i, i + 500)).select('id', 'first_name', 'last_name')) as { id: string; first_name: string | null; last_name: string | null }[];
      for (const r of rows) out.set(r.id, [r.first_name, r.last_name].filter(Boolean).join(' '));
    }
    return out;
  }
}
