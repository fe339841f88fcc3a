/**
 * Counting the pages of a PDF by walking its page tree once (ISO 32000-1 §7.7.3 "Page Tree"): every page tree node
 * and every page object must be reached exactly once from the root. pdf-lib walks the tree recursively without
 * remembering where it has been, so a 1 KB file whose nodes list the same child ten times over five levels becomes
 * 100,000 pages, and a node that lists itself never ends; both are refused here before pdf-lib counts or copies pages.
 */
import { PDFArray, PDFDict, PDFName, PDFPageLeaf, PDFPageTree, PDFRef, type PDFDocument, type PDFObject } from 'pdf-lib';
import { invalidInput } from './errors';

/** Levels of page tree nodes under the root; real files use 2–5 (a balanced tree of fan-out 10 holds 10⁶⁴ pages). */
export const MAX_PAGE_TREE_DEPTH = 64;

/**
 * The number of pages of `doc` (the page objects pdf-lib would list), found by walking the page tree from the
 * catalog's /Pages with a set of the nodes already reached.
 * @param maxPages the walk stops and throws as soon as there are more pages than this.
 * @throws AppError VALIDATION naming the file when a node or page is reached twice (repeated or cyclic tree), when the
 *   tree is deeper than MAX_PAGE_TREE_DEPTH, or when there are more than `maxPages` pages.
 */
export function countPdfPages(name: string, doc: PDFDocument, maxPages: number): number {
  const context = doc.context;
  const resolve = (obj: PDFObject | undefined): PDFObject | undefined => (obj instanceof PDFRef ? context.lookup(obj) : obj);
  const root = resolve(doc.catalog.get(PDFName.of('Pages')));
  if (!(root instanceof PDFPageTree)) return 0;
  const seen = new Set<PDFObject>([root]);
  const stack: Array<{ node: PDFDict; depth: number }> = [{ node: root, depth: 0 }];
  let pages = 0;
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    const kids = resolve(node.get(PDFName.of('Kids')));
    if (!(kids instanceof PDFArray)) continue;
    for (let i = 0; i < kids.size(); i++) {
      const kid = resolve(kids.get(i));
      if (!(kid instanceof PDFPageTree || kid instanceof PDFPageLeaf)) continue; // pdf-lib ignores other objects too
      if (seen.has(kid)) throw invalidInput(name, 'fichier PDF invalide : son arborescence de pages répète une même page ou un même nœud.');
      seen.add(kid);
      if (kid instanceof PDFPageLeaf) {
        pages += 1;
        if (pages > maxPages) throw invalidInput(name, `trop de pages (plus de ${maxPages}) : découpez le PDF en plusieurs documents.`);
      } else {
        if (depth + 1 > MAX_PAGE_TREE_DEPTH) throw invalidInput(name, 'fichier PDF invalide : arborescence de pages trop profonde.');
        stack.push({ node: kid, depth: depth + 1 });
      }
    }
  }
  return pages;
}
