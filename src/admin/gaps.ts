/**
 * Groups logged questions by meaning: paraphrases of one question land in one group.
 * Single-link clustering over questionSimilarity, most asked wording first. Pure.
 */
import type { Lexicon } from '../text/lexicon.js';
import { bigrams, dice, questionForm } from './similarity.js';

/** One distinct wording, as read from the question log. */
export interface QuestionTally {
  /** The folded key the log groups exact repeats by (log-store's gapKey). */
  key: string;
  /** The wording as last asked. */
  question: string;
  count: number;
  /** ISO timestamps. */
  firstAt: string;
  lastAt: string;
  /** Down-votes among these askings. */
  downVotes: number;
  /** Passages shown the last time (the closest ones, for a refusal). */
  chunkIds: string[];
}

/** A group of paraphrases. */
export interface QuestionGroup {
  /** The key of the most asked wording: the group's stable name. */
  key: string;
  /** The most asked wording. */
  question: string;
  /** Every wording, most asked first. */
  wordings: Array<{ key: string; question: string; count: number }>;
  count: number;
  downVotes: number;
  firstAt: string;
  lastAt: string;
  chunkIds: string[];
}

export interface GroupOptions {
  /** Least similarity for two wordings to be paraphrases. @default 0.5 */
  threshold?: number;
  /** Maps everyday words to the reports' terms before comparing. */
  lexicon?: Lexicon;
}

/** Groups tallies into paraphrase groups, largest first (ties: most recent first). */
export function groupQuestions(
  tallies: readonly QuestionTally[],
  options: GroupOptions = {},
): QuestionGroup[] {
  const threshold = options.threshold ?? 0.5;
  const sorted = [...tallies].sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt));
  const groups: Array<{ members: QuestionTally[]; grams: Array<Set<string>>; forms: string[] }> =
    [];
  for (const tally of sorted) {
    const form = questionForm(tally.question, options.lexicon);
    const grams = bigrams(form);
    const home = groups.find(
      (g) => g.forms.includes(form) || g.grams.some((other) => dice(grams, other) >= threshold),
    );
    if (home) {
      home.members.push(tally);
      home.grams.push(grams);
      home.forms.push(form);
    } else groups.push({ members: [tally], grams: [grams], forms: [form] });
  }
  return groups
    .map(({ members }) => {
      const lead = members[0]!;
      const latest = members.reduce((a, b) => (b.lastAt > a.lastAt ? b : a));
      return {
        key: lead.key,
        question: lead.question,
        wordings: members.map((m) => ({ key: m.key, question: m.question, count: m.count })),
        count: members.reduce((n, m) => n + m.count, 0),
        downVotes: members.reduce((n, m) => n + m.downVotes, 0),
        firstAt: members.reduce((a, m) => (m.firstAt < a ? m.firstAt : a), lead.firstAt),
        lastAt: latest.lastAt,
        chunkIds: latest.chunkIds,
      };
    })
    .sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt));
}
