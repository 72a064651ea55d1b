/**
 * Named word lists read from plain-text files beside this module (question-types.txt,
 * generic-words.txt, figure-kinds.txt, stopwords.txt): `名称: 词 词 …` lines, a name may
 * recur to continue its list, `#` opens a comment line. Each file is read once, at start;
 * the lists are frozen. Code builds its regular expressions from them (`alternation`).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type WordLists<N extends string> = Readonly<Record<N, readonly string[]>>;

/** The path of a word-list file of this folder. */
export function wordListFile(name: string): string {
  return fileURLToPath(new URL(`./${name}`, import.meta.url));
}

/**
 * Parses a word-list file holding exactly the lists `names`. Words keep their file order.
 * Throws, naming the file and line, on a line that is not `名称: 词 …`, an unknown name or a
 * word twice in one list; and on a list the file lacks.
 */
export function parseWordLists<N extends string>(
  text: string,
  names: readonly N[],
  source: string,
): WordLists<N> {
  const lists = new Map<N, string[]>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^([^\s:：]+)\s*[:：]\s*(.+)$/.exec(line);
    if (!m) throw new Error(`${source}:${i + 1}: expected "名称: 词 词 …"`);
    const name = m[1] as N;
    if (!names.includes(name))
      throw new Error(`${source}:${i + 1}: unknown list "${name}" (known: ${names.join(', ')})`);
    const list = lists.get(name) ?? [];
    for (const word of m[2]!.split(/\s+/)) {
      if (list.includes(word)) throw new Error(`${source}:${i + 1}: 「${word}」 twice in ${name}`);
      list.push(word);
    }
    lists.set(name, list);
  });
  const out = {} as Record<N, readonly string[]>;
  for (const name of names) {
    const list = lists.get(name);
    if (!list) throw new Error(`${source}: no list "${name}"`);
    out[name] = Object.freeze(list);
  }
  return Object.freeze(out);
}

/** Reads and parses a word-list file of this folder (once per call: callers keep the result). */
export function readWordLists<N extends string>(file: string, names: readonly N[]): WordLists<N> {
  const path = wordListFile(file);
  return parseWordLists(readFileSync(path, 'utf8'), names, path);
}

/** A regular-expression alternation (no group) matching any of the words literally, longest first. */
export function alternation(words: readonly string[]): string {
  return [...words]
    .sort((a, b) => b.length - a.length)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('|');
}
