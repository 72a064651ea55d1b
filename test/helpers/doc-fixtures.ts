/**
 * Word and PDF fixtures made in the test, with the docx and pdfkit libraries. PDF text in
 * Chinese needs a CJK font: Debian's fonts-noto-cjk (installed by .ci/run); suites that need
 * it skip with CJK_FONT_SKIP_MESSAGE when it is missing.
 */
import { existsSync } from 'node:fs';
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import PDFDocument from 'pdfkit';

/** The CJK font PDF fixtures are written with; override with CJK_FONT_PATH. */
export const CJK_FONT_PATH =
  process.env['CJK_FONT_PATH'] || '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
/** The face inside the collection (simplified Chinese). */
const CJK_FONT_FACE = 'NotoSansCJKsc-Regular';

export const hasCjkFont = existsSync(CJK_FONT_PATH);

export const CJK_FONT_SKIP_MESSAGE = `PDF 测试已跳过 / PDF suite SKIPPED: ${CJK_FONT_PATH} not found. Install it with: apt-get install -y fonts-noto-cjk`;

/** A paragraph of a fixture; `heading` paragraphs become Word headings. */
export interface FixtureParagraph {
  text: string;
  heading?: boolean;
}

/** A .docx with one Word paragraph per entry. */
export async function makeDocx(paragraphs: FixtureParagraph[]): Promise<Buffer> {
  const doc = new Document({
    sections: [
      {
        children: paragraphs.map((p) =>
          p.heading
            ? new Paragraph({ text: p.text, heading: HeadingLevel.HEADING_1 })
            : new Paragraph({ text: p.text }),
        ),
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/**
 * A PDF with the given pages, each a list of paragraphs that pdfkit wraps at the page
 * width (body paragraphs indented by two characters, as 公文 are), with a 「- n -」 page
 * number at the foot of each page.
 */
export async function makePdf(pages: FixtureParagraph[][]): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 56, autoFirstPage: false });
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  pages.forEach((paragraphs, i) => {
    doc.addPage();
    doc.font(CJK_FONT_PATH, CJK_FONT_FACE).fontSize(12);
    for (const p of paragraphs) {
      if (p.heading) doc.fontSize(14).text(p.text, { paragraphGap: 6 }).fontSize(12);
      else doc.text(p.text, { indent: 24, paragraphGap: 6, lineGap: 2 });
    }
    doc.page.margins.bottom = 0; // the footer sits below the margin; without this pdfkit adds a page
    doc.text(`- ${i + 1} -`, 56, doc.page.height - 40, { align: 'center', lineBreak: false });
  });
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
