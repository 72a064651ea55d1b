/**
 * Small talk: greetings, thanks and requests for a person or a phone line, which get the
 * operator's short reply instead of a search of the reports. The phrases are data
 * (intents.txt beside this module); matching is pure.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type Intent = 'greeting' | 'thanks' | 'handoff';
const INTENTS: readonly Intent[] = ['greeting', 'thanks', 'handoff'];

export const INTENTS_FILE = fileURLToPath(new URL('./intents.txt', import.meta.url));

export interface IntentPhrases {
  /** Phrases of each intent, longest first. */
  phrases: Map<Intent, string[]>;
}

export function parseIntents(text: string, source = INTENTS_FILE): IntentPhrases {
  const phrases = new Map<Intent, string[]>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const [name, list] = line.split(/\s*=\s*/);
    if (!INTENTS.includes(name as Intent) || !list)
      throw new Error(`${source}:${i + 1}: expected "greeting|thanks|handoff = 说法,…"`);
    const words = list
      .split(/[,，]/)
      .map((w) => squeeze(w))
      .filter(Boolean);
    phrases.set(
      name as Intent,
      [...(phrases.get(name as Intent) ?? []), ...words].sort((a, b) => b.length - a.length),
    );
  });
  return { phrases };
}

let loaded: IntentPhrases | null = null;
export function loadIntents(): IntentPhrases {
  return (loaded ??= parseIntents(readFileSync(INTENTS_FILE, 'utf8')));
}

/** Punctuation, spaces and sentence particles removed, Latin lower-cased. */
function squeeze(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\p{P}\p{S}\s]/gu, '')
    .replace(/[啊呀吧呢嘛哈哦噢哟]/g, '');
}

export interface IntentMatch {
  intent: Intent;
  /** What the question says besides the intent's phrases (a handoff request must say nothing else of substance). */
  rest: string;
}

/**
 * The small-talk intent of a question: a greeting or thanks when the question is only such
 * phrases; a hand-off when it holds a hand-off phrase (the caller checks `rest` names no
 * topic). Null otherwise.
 */
export function intentOf(
  question: string,
  table: IntentPhrases = loadIntents(),
): IntentMatch | null {
  const q = squeeze(question);
  if (q === '') return null;
  for (const intent of INTENTS) {
    const phrases = table.phrases.get(intent) ?? [];
    let rest = q;
    let hit = false;
    for (const p of phrases) {
      if (rest.includes(p)) {
        rest = rest.split(p).join('');
        hit = true;
      }
    }
    if (!hit) continue;
    if (intent === 'handoff') return { intent, rest };
    // Greetings and thanks may be combined with each other (「你好，谢谢」) but nothing else.
    const other = INTENTS.filter((i) => i !== 'handoff' && i !== intent).flatMap(
      (i) => table.phrases.get(i) ?? [],
    );
    for (const p of other) rest = rest.split(p).join('');
    if (rest === '') return { intent, rest };
  }
  return null;
}
