import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alternation, parseWordLists, wordListFile } from '../src/text/word-lists.js';
import {
  GENERIC_LISTS,
  GENERIC_WORDS,
  QUESTION_LISTS,
  QUESTION_WORDS,
} from '../src/retrieval/query.js';
import { FIGURE_KIND_LISTS, FIGURE_KIND_WORDS } from '../src/text/figure-kind.js';
import { STOPWORDS } from '../src/text/tokenize.js';
import { MAINLAND_PROVINCES, OTHER_REGIONS } from '../src/text/places.js';

/** The file's own text with one malformed line after it: the error names the file and that line. */
function expectMalformedLineNamed(file: string, names: readonly string[]): void {
  const path = wordListFile(file);
  const text = readFileSync(path, 'utf8').replace(/\n?$/, '\n');
  const line = text.split('\n').length;
  expect(() => parseWordLists(`${text}没有冒号的一行\n`, names, path)).toThrow(
    new RegExp(`${file}:${line}: expected "名称: 词 词 …"`),
  );
}

describe('word-lists', () => {
  it('parses named lists in file order, a name continuing over several lines', () => {
    const lists = parseWordLists('# 注释\n甲: 一 二\n\n乙：三\n甲: 四\n', ['甲', '乙'], 'x.txt');
    expect(lists.甲).toEqual(['一', '二', '四']);
    expect(lists.乙).toEqual(['三']);
    expect(Object.isFrozen(lists) && Object.isFrozen(lists.甲)).toBe(true);
  });

  it('names the file and line of a malformed line, an unknown list and a word twice', () => {
    expect(() => parseWordLists('甲: 一\n只有词\n', ['甲'], 'x.txt')).toThrow(
      /^x\.txt:2: expected/,
    );
    expect(() => parseWordLists('丙: 一\n', ['甲'], 'x.txt')).toThrow(
      /x\.txt:1: unknown list "丙"/,
    );
    expect(() => parseWordLists('甲: 一\n甲: 一\n', ['甲'], 'x.txt')).toThrow(
      /x\.txt:2: 「一」 twice/,
    );
    expect(() => parseWordLists('甲: 一\n', ['甲', '乙'], 'x.txt')).toThrow(/x\.txt: no list "乙"/);
  });

  it('every data file of src/text is copied to dist by build:server', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const files = readdirSync(new URL('../src/text/', import.meta.url)).filter((f) =>
      f.endsWith('.txt'),
    );
    for (const f of files) expect(pkg.scripts['build:server']).toContain(`'src/text/${f}'`);
  });

  it('builds an alternation that matches the words literally, longest first', () => {
    expect(alternation(['几', '几%', 'a.b'])).toBe('a\\.b|几%|几');
    const re = new RegExp(`^(?:${alternation(['?', '几|'])})$`);
    expect(re.test('?')).toBe(true);
    expect(re.test('几|')).toBe(true);
    expect(re.test('几')).toBe(false);
  });
});

describe('question-types.txt', () => {
  it('holds every list the query analysis reads', () => {
    expect(QUESTION_WORDS.who).toContain('是谁');
    expect(QUESTION_WORDS.how).toEqual(['怎么', '如何', '怎样', '咋']);
    expect(QUESTION_WORDS['quantity-end']).toContain('增长率');
  });
  it('names the file and line of a malformed line', () => {
    expectMalformedLineNamed('question-types.txt', QUESTION_LISTS);
  });
});

describe('generic-words.txt', () => {
  it('holds the generic words and the verbs that are no figure label', () => {
    expect(GENERIC_WORDS.generic).toContain('请问');
    expect(GENERIC_WORDS.magnitude).toContain('突破');
    expect(GENERIC_WORDS.action).toContain('办理');
  });
  it('names the file and line of a malformed line', () => {
    expectMalformedLineNamed('generic-words.txt', GENERIC_LISTS);
  });
});

describe('figure-kinds.txt', () => {
  it('holds the words of each kind and span', () => {
    expect(FIGURE_KIND_WORDS.target).toContain('力争');
    expect(FIGURE_KIND_WORDS['five-year']).toContain('十四五');
    expect(FIGURE_KIND_WORDS['level-total']).toContain('保有量');
  });
  it('names the file and line of a malformed line', () => {
    expectMalformedLineNamed('figure-kinds.txt', FIGURE_KIND_LISTS);
  });
});

describe('stopwords.txt', () => {
  it('holds the function words', () => {
    expect(STOPWORDS.has('的')).toBe(true);
    expect(STOPWORDS.has('请问')).toBe(true);
    expect(STOPWORDS.has('政府')).toBe(false);
  });
  it('names the file and line of a malformed line', () => {
    expectMalformedLineNamed('stopwords.txt', ['stopwords']);
  });
});

describe('places.txt', () => {
  it('holds the 31 mainland provinces and the other regions, in file order', () => {
    expect(MAINLAND_PROVINCES).toHaveLength(31);
    expect(MAINLAND_PROVINCES.slice(0, 2)).toEqual(['北京', '天津']);
    expect(MAINLAND_PROVINCES).toContain('黑龙江');
    expect(OTHER_REGIONS).toEqual(['香港', '澳门', '台湾']);
  });
  it('names the file and line of a malformed line', () => {
    expectMalformedLineNamed('places.txt', ['mainland', 'other-regions', 'short', 'not-names']);
  });
});
