import { describe, expect, it } from 'vitest';
import { Lexicon, loadLexicon, parseLexicon } from '../src/text/lexicon.js';

describe('lexicon', () => {
  it('ships hundreds of entries mapping everyday words to report vocabulary', () => {
    const lex = loadLexicon();
    expect(lex.size).toBeGreaterThan(400);
    expect(lex.find('想打官司但没钱').flatMap((h) => h.official)).toContain('法律援助');
    expect(lex.find('在手机上就能办事吗').flatMap((h) => h.official)).toContain('一网通办');
  });

  it('matches the longest everyday phrase without overlaps', () => {
    const lex = new Lexicon(parseLexicon('营业执照 = 执照,办执照\n证照分离 = 办执照难'));
    expect(lex.find('现在办执照难吗').map((h) => h.phrase)).toEqual(['办执照难']);
  });

  it('reports a malformed line with its number', () => {
    expect(() => parseLexicon('# ok\n法律援助 打官司', 'x.txt')).toThrow(/x\.txt:2/);
  });
});
