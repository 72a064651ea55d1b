/**
 * JSON written one record per line, read back in slices with a turn of the event loop
 * between them, so that loading a large index never holds the serving process for more
 * than a slice. The files stay plain JSON (any JSON reader takes them whole):
 *   [          the head: a JSON prefix that ends by opening the container of the records,
 *   {…},       an array (`[`, `{"a":1,"items":[`) or an object (`{`, `{"a":1,"map":{`);
 *   {…}        one record per line: array items, or `"key":value` members;
 *   ]          the tail closes what the head opened.
 * JSON.stringify never writes a raw line break, so each line is one record. A file without
 * a line break (written compact, by an older version) is parsed whole.
 */

/** The text of a record file: the head, one line per record, the tail. */
export function recordLines(head: string, records: readonly string[], tail: string): string {
  return records.length === 0 ? `${head}\n${tail}` : `${head}\n${records.join(',\n')}\n${tail}`;
}

export interface SliceOptions {
  /** Bytes of records parsed in one piece. @default 65536 */
  sliceBytes?: number;
  /** Work done between two turns of the event loop. @default 8 */
  budgetMs?: number;
  /** Gives the event loop its turn. @default setImmediate */
  pause?: () => Promise<void>;
}

const NEWLINE = 0x0a;
const isSpace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Parses `bytes` (JSON in the layout above, or any JSON on one line); throws SyntaxError. */
export async function parseSliced(bytes: Buffer, options: SliceOptions = {}): Promise<unknown> {
  const sliceBytes = options.sliceBytes ?? 65536;
  const budgetMs = options.budgetMs ?? 8;
  const pause = options.pause ?? nextTurn;
  let end = bytes.length;
  while (end > 0 && isSpace(bytes[end - 1]!)) end--;
  const firstBreak = bytes.indexOf(NEWLINE);
  const lastBreak = firstBreak < 0 || firstBreak >= end ? -1 : bytes.lastIndexOf(NEWLINE, end - 1);
  const head = lastBreak < 0 ? '' : bytes.toString('utf8', 0, firstBreak).trim();
  const opens = head.at(-1);
  if (lastBreak <= firstBreak || (opens !== '[' && opens !== '{')) {
    return JSON.parse(bytes.toString('utf8', 0, end)) as unknown;
  }
  const skeleton = JSON.parse(head + bytes.toString('utf8', lastBreak + 1, end)) as unknown;
  const container = head.length === 1 ? skeleton : lastValue(skeleton);
  const into = opens === '[' ? arrayInto(container) : objectInto(container);
  let since = performance.now();
  for (let start = firstBreak + 1; start < lastBreak;) {
    let stop = bytes.indexOf(NEWLINE, Math.min(start + sliceBytes, lastBreak));
    if (stop < 0 || stop > lastBreak) stop = lastBreak;
    let text = bytes.toString('utf8', start, stop).trimEnd();
    if (text.endsWith(',')) text = text.slice(0, -1);
    if (text !== '') into(JSON.parse(opens === '[' ? `[${text}]` : `{${text}}`) as unknown);
    start = stop + 1;
    if (performance.now() - since >= budgetMs) {
      await pause();
      since = performance.now();
    }
  }
  return skeleton;
}

/** The member the head opened last: the last key of the skeleton object. */
function lastValue(skeleton: unknown): unknown {
  if (typeof skeleton !== 'object' || skeleton === null || Array.isArray(skeleton))
    throw new SyntaxError('record head does not open a member of an object');
  const keys = Object.keys(skeleton);
  return keys.length === 0 ? undefined : (skeleton as Record<string, unknown>)[keys.at(-1)!];
}

function arrayInto(container: unknown): (part: unknown) => void {
  if (!Array.isArray(container)) throw new SyntaxError('record head does not open an array');
  return (part) => {
    for (const item of part as unknown[]) container.push(item);
  };
}

function objectInto(container: unknown): (part: unknown) => void {
  if (typeof container !== 'object' || container === null || Array.isArray(container))
    throw new SyntaxError('record head does not open an object');
  const target = container as Record<string, unknown>;
  return (part) => {
    for (const [key, value] of Object.entries(part as Record<string, unknown>)) {
      // An own "__proto__" member, as JSON.parse makes it, not a prototype change.
      if (key === '__proto__')
        Object.defineProperty(target, key, {
          value,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      else target[key] = value;
    }
  };
}
