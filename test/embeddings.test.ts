import { describe, expect, it } from 'vitest';
import { LocalHashEmbeddings } from '../src/embeddings/local.js';

const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('local embeddings', () => {
  const e = new LocalHashEmbeddings();

  it('is deterministic, L2-normalised and sized as configured', async () => {
    const [a, b] = await e.embedDocuments(['免费提供法律咨询', '免费提供法律咨询']);
    expect(a).toEqual(b);
    expect(a!.length).toBe(1024);
    expect(cos(a!, a!)).toBeCloseTo(1, 6);
  });

  it('keeps Chinese distinctions: related texts are closer than unrelated ones', async () => {
    const q = await e.embedQuery('法律咨询有多少人次');
    const near = await e.embedQuery('为群众免费提供法律咨询46.4万人次');
    const far = await e.embedQuery('发布政务数据共享清单1032项');
    expect(cos(q, near)).toBeGreaterThan(cos(q, far) + 0.1);
  });
});
