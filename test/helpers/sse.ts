/** Reads a text/event-stream response into its events and comments. */
import type { ServerFrame } from '../../src/server/protocol.js';

export interface SseRead {
  events: Array<{ event: string; frame: ServerFrame }>;
  comments: string[];
}

/** Consumes the whole stream; `onText` sees the text received so far after each chunk. */
export async function readSse(res: Response, onText?: (soFar: string) => void): Promise<SseRead> {
  let text = '';
  const decoder = new TextDecoder();
  for await (const chunk of res.body ?? []) {
    text += decoder.decode(chunk as Uint8Array, { stream: true });
    onText?.(text);
  }
  const events: SseRead['events'] = [];
  const comments: string[] = [];
  for (const block of text.split('\n\n')) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comments.push(line.slice(1).trim());
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length > 0) events.push({ event, frame: JSON.parse(data.join('\n')) as ServerFrame });
  }
  return { events, comments };
}
