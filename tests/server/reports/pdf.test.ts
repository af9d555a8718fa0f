import { describe, expect, it } from 'vitest';
import { pdfDate, stampPdf } from '../../../server/reports/pdf.js';

/** The tail of a PDF as Skia writes it: an Info dictionary with the print time and an /ID from it. */
const pdf = (date: string, id: string) =>
  Buffer.from(
    `%PDF-1.4\n1 0 obj\n<</Title (x) /CreationDate (${date}) /ModDate (${date})>>\nendobj\ntrailer\n<</Size 2 /Root 1 0 R /Info 1 0 R /ID [<${id}> <${id}>]>>\n%%EOF`,
    'latin1',
  );

describe('stampPdf', () => {
  it('sets both dates to the given moment and the /ID to a digest of the rest, moving no byte', () => {
    const a = pdf("D:20261207131056+00'00'", 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    const b = pdf("D:20261207131159+00'00'", 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB');
    const moment = Date.parse('2026-12-07T05:00:00Z');
    const sa = stampPdf(a, moment);
    const sb = stampPdf(b, moment);
    expect(sa.length).toBe(a.length);
    expect(sa.equals(sb)).toBe(true);
    expect(sa.toString('latin1')).toContain(`/CreationDate (${pdfDate(moment)})`);
    expect(pdfDate(moment)).toBe("D:20261207130000+08'00'");
    // Another moment differs only inside the dates.
    const other = stampPdf(a, moment + 60_000).toString('latin1');
    expect(other.replaceAll(pdfDate(moment + 60_000), 'DATE')).toBe(
      sa.toString('latin1').replaceAll(pdfDate(moment), 'DATE'),
    );
    // Different content gets a different /ID.
    const c = stampPdf(Buffer.from(a.toString('latin1').replace('(x)', '(y)'), 'latin1'), moment);
    expect(c.toString('latin1').match(/\/ID \[<([0-9A-F]+)>/)?.[1]).not.toBe(
      sa.toString('latin1').match(/\/ID \[<([0-9A-F]+)>/)?.[1],
    );
  });
});
