import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config.js';
import { ERROR_CODES } from '../src/errors.js';

describe('server docs', () => {
  it('lists every error code with its status and message in the README', () => {
    const doc = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const table =
      doc.split('<!-- error-codes:start -->')[1]?.split('<!-- error-codes:end -->')[0] ?? '';
    const rows = new Map(
      [...table.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \| ([^|]+) \|/gm)].map((m) => [
        m[1],
        { status: Number(m[2]), message: m[3]!.trim() },
      ]),
    );
    expect([...rows.keys()].sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const [code, { status, message }] of Object.entries(ERROR_CODES)) {
      expect(rows.get(code), code).toEqual({ status, message });
    }
  });
});
