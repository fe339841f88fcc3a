import { PDFDocument } from 'pdf-lib';
import { pdfWithInvalidObject, pdfRepeatingNode } from './tests/helpers/hostileFiles';
const d = await PDFDocument.load(pdfWithInvalidObject(), { throwOnInvalidObject: false, updateMetadata: false });
console.log('pages', d.getPageCount(), pdfRepeatingNode(10,5,true).byteLength);
