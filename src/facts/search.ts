/**
 * Fact search for the staff console, fast enough to run on every keystroke: a bigram
 * index over the facts' sentences finds candidates; each candidate is then scored by how
 * much of every query term (or one of its report synonyms from the lexicon) appears in
 * what the figure counts (best), its sentence, or its section and title. Pure.
 */
import { normalizeText, squeezeCjkSpaces } from '../text/normalize.js';
import type { Lexicon } from '../text/lexicon.js';
import { charBigrams, contentWords, numbers } from '../text/tokenize.js';
import { citationText, type Fact } from './fact.js';

export interface FactQuery {
  /** Keywords or everyday wording; empty lists the facts that pass the filters. */
  q?: string;
  /** Only this document. */
  doc?: string;
  /** Only statements about this year. */
  year?: number;
  /** @default 20 */
  limit?: number;
}

/** A fact as the console shows it, with the citation to read out. */
export interface FactHit extends Fact {
  citation: string;
  /** Share of the query found, in [0, 1]. */
  score: number;
}

export interface FactSearchResult {
  /** The query as normalised. */
  q: string;
  /** Report terms the everyday wording was expanded to. */
  synonyms: string[];
  /** How many facts matched (before the limit). */
  total: number;
  facts: FactHit[];
}

export interface FactDocument {
  docId: string;
  title: string;
  reportYear: number | null;
  facts: number;
}

export interface FactIndexOptions {
  lexicon: Lexicon;
  /** A fact must match this share of the query. @default 0.5 */
  minScore?: number;
  /** Sentences scored in full per query, after the cheap bigram pass. @default 400 */
  candidates?: number;
}

interface Group {
  /** The typed word first, then its report synonyms. */
  alts: string[];
  weight: number;
}

const MAX_LIMIT = 100;

/** Where a term is found, and what that is worth. */
const FIELD_WEIGHT = { label: 1, sentence: 0.8, context: 0.5 } as const;

export class FactIndex {
  private readonly sentences: string[] = [];
  /** Facts of each sentence (indexes into `facts`). */
  private readonly factsOf: number[][] = [];
  private readonly postings = new Map<string, number[]>();
  private readonly docs: FactDocument[];
  private readonly minScore: number;
  private readonly candidates: number;

  constructor(
    private readonly facts: Fact[],
    private readonly options: FactIndexOptions,
  ) {
    this.minScore = options.minScore ?? 0.5;
    this.candidates = options.candidates ?? 400;
    const sentenceIndex = new Map<string, number>();
    const docs = new Map<string, FactDocument>();
    facts.forEach((fact, i) => {
      const key = `${fact.chunkId}\n${fact.sentence}`;
      let s = sentenceIndex.get(key);
      if (s === undefined) {
        s = this.sentences.length;
        sentenceIndex.set(key, s);
        this.sentences.push(fact.sentence);
        this.factsOf.push([]);
        for (const token of new Set([...charBigrams(fact.sentence), ...numbers(fact.sentence)])) {
          const list = this.postings.get(token);
          if (list) list.push(s);
          else this.postings.set(token, [s]);
        }
      }
      this.factsOf[s]!.push(i);
      const doc = docs.get(fact.docId) ?? {
        docId: fact.docId,
        title: fact.title,
        reportYear: fact.reportYear,
        facts: 0,
      };
      doc.facts++;
      docs.set(fact.docId, doc);
    });
    this.docs = [...docs.values()];
    contentWords('预热'); // loads jieba's dictionary now, not on the agent's first keystroke
  }

  get size(): number {
    return this.facts.length;
  }

  /** The documents that have facts, in index order (for the document filter). */
  documents(): FactDocument[] {
    return this.docs;
  }

  /** The years statements are about, newest first (for the year filter). */
  years(): number[] {
    return [...new Set(this.facts.map((f) => f.year).filter((y): y is number => y !== null))].sort(
      (a, b) => b - a,
    );
  }

  search(query: FactQuery): FactSearchResult {
    const q = squeezeCjkSpaces(normalizeText(query.q ?? ''));
    const limit = Math.min(Math.max(query.limit ?? 20, 1), MAX_LIMIT);
    const pass = (f: Fact) =>
      (!query.doc || f.docId === query.doc) && (query.year === undefined || f.year === query.year);
    const { groups, synonyms } = this.groups(q);
    if (groups.length === 0) {
      const all = q === '' ? this.facts.filter(pass) : [];
      return { q, synonyms, total: all.length, facts: all.slice(0, limit).map((f) => hit(f, 0)) };
    }
    const scored: Array<{ fact: Fact; score: number; index: number }> = [];
    for (const s of this.candidateSentences(groups)) {
      for (const i of this.factsOf[s]!) {
        const fact = this.facts[i]!;
        if (!pass(fact)) continue;
        const score = scoreFact(fact, groups);
        if (score >= this.minScore) scored.push({ fact, score, index: i });
      }
    }
    scored.sort((a, b) => b.score - a.score || a.index - b.index);
    return {
      q,
      synonyms,
      total: scored.length,
      facts: scored.slice(0, limit).map(({ fact, score }) => hit(fact, score)),
    };
  }

  /** Query terms: everyday phrases with their report terms, then the other content words. */
  private groups(q: string): { groups: Group[]; synonyms: string[] } {
    const groups: Group[] = [];
    const synonyms = new Set<string>();
    let rest = q;
    for (const h of this.options.lexicon.find(q)) {
      rest = rest.replace(h.phrase, ' ');
      h.official.forEach((o) => synonyms.add(o));
      groups.push({ alts: [h.phrase, ...h.official], weight: this.weight(h.phrase) });
    }
    for (const word of contentWords(rest)) {
      const official = this.options.lexicon.officialFor(word);
      official.forEach((o) => synonyms.add(o));
      groups.push({ alts: [word, ...official], weight: this.weight(word) });
    }
    for (const n of numbers(rest)) groups.push({ alts: [n], weight: 2 });
    return { groups, synonyms: [...synonyms] };
  }

  /** Rarer words weigh more: mean inverse sentence frequency of the word's bigrams. */
  private weight(word: string): number {
    const grams = charBigrams(word).filter((g) => g.length === 2);
    if (grams.length === 0) return 0.5;
    const n = this.sentences.length || 1;
    const idf = grams.map((g) => Math.log(1 + n / (1 + (this.postings.get(g)?.length ?? 0))));
    return Math.max(0.5, idf.reduce((a, b) => a + b, 0) / idf.length);
  }

  /** Sentences sharing the most (weighted) bigrams or numbers with the query, best first. */
  private candidateSentences(groups: Group[]): number[] {
    const tally = new Map<number, number>();
    for (const g of groups) {
      const tokens = new Set(
        g.alts.flatMap((a) => [...charBigrams(a).filter((t) => t.length === 2), ...numbers(a)]),
      );
      for (const token of tokens) {
        for (const s of this.postings.get(token) ?? [])
          tally.set(s, (tally.get(s) ?? 0) + g.weight);
      }
    }
    return [...tally]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, this.candidates)
      .map(([s]) => s);
  }
}

/** Share of `term` found in `text`: 1 when it appears whole, else the share of its bigrams. */
function coverage(term: string, text: string): number {
  if (text.includes(term)) return 1;
  const grams = charBigrams(term).filter((g) => g.length === 2);
  if (grams.length === 0) return 0;
  return (0.9 * grams.filter((g) => text.includes(g)).length) / grams.length;
}

function scoreFact(fact: Fact, groups: Group[]): number {
  const context = `${fact.sectionPath} ${fact.title}`;
  let got = 0;
  let total = 0;
  for (const g of groups) {
    let best = 0;
    for (const alt of g.alts) {
      if (/^\d+(?:\.\d+)?$/.test(alt)) {
        best = Math.max(
          best,
          fact.figure.includes(alt) ? 1 : fact.sentence.includes(alt) ? 0.6 : 0,
        );
        continue;
      }
      best = Math.max(
        best,
        coverage(alt, fact.label) * FIELD_WEIGHT.label,
        coverage(alt, fact.sentence) * FIELD_WEIGHT.sentence,
        coverage(alt, context) * FIELD_WEIGHT.context,
      );
    }
    got += g.weight * best;
    total += g.weight;
  }
  return total === 0 ? 0 : Number((got / total).toFixed(3));
}

function hit(fact: Fact, score: number): FactHit {
  return { ...fact, citation: citationText(fact), score };
}
