/**
 * The versioned layout of INDEX_DIR: publishing, reading a plain `current` folder of the
 * older layout and moving it in, and removing only the versions no replica serves.
 */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  currentVersion,
  liveDir,
  pruneVersions,
  publishVersion,
  registerReplica,
  versionsInUse,
} from '../src/shared-state/index-versions.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function indexDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wz-versions-'));
  dirs.push(dir);
  return dir;
}

/** A built folder beside `current`, as saveIndex leaves it before publishing. */
function built(dir: string, name: string, text: string): string {
  const folder = path.join(dir, `.build-${name}`);
  mkdirSync(folder);
  writeFileSync(path.join(folder, 'manifest.json'), text);
  return folder;
}

describe('index versions', () => {
  it('publishes each build as its own folder and points current at the newest', async () => {
    const dir = indexDir();
    expect(currentVersion(dir)).toBeNull();
    await publishVersion(dir, built(dir, 'a', 'A'), 'v1000000000001-1-a');
    expect(currentVersion(dir)).toBe('v1000000000001-1-a');
    await publishVersion(dir, built(dir, 'b', 'B'), 'v1000000000002-1-b');
    expect(currentVersion(dir)).toBe('v1000000000002-1-b');
    expect(lstatSync(path.join(dir, 'current')).isSymbolicLink()).toBe(true);
    expect(liveDir(dir)).toBe(path.join(dir, 'versions', 'v1000000000002-1-b'));
    expect(readdirSync(path.join(dir, 'versions')).sort()).toEqual([
      'v1000000000001-1-a',
      'v1000000000002-1-b',
    ]);
  });

  it('reads a plain current folder (the older layout) and moves it into versions on the next publish', async () => {
    const dir = indexDir();
    mkdirSync(path.join(dir, 'current'));
    writeFileSync(path.join(dir, 'current', 'manifest.json'), 'OLD');
    expect(currentVersion(dir)).toBe('current');
    expect(liveDir(dir)).toBe(path.join(dir, 'current'));
    await publishVersion(dir, built(dir, 'n', 'NEW'), 'v1000000000003-1-n');
    expect(currentVersion(dir)).toBe('v1000000000003-1-n');
    expect(readdirSync(path.join(dir, 'versions'))).toContain('legacy-v1000000000003-1-n');
  });

  it('removes old versions unless a replica with a fresh heartbeat serves them', async () => {
    const dir = indexDir();
    for (const v of ['v1000000000001-1-a', 'v1000000000002-1-b', 'v1000000000003-1-c'])
      await publishVersion(dir, built(dir, v, v), v);
    await registerReplica(dir, { replicaId: 'r1', version: 'v1000000000001-1-a' });
    expect(await versionsInUse(dir)).toEqual(new Set(['v1000000000001-1-a']));
    expect(await pruneVersions(dir)).toEqual(['v1000000000002-1-b']);
    // Thirty seconds without a heartbeat: the replica no longer protects its version.
    const later = () => Date.now() + 31_000;
    expect(await pruneVersions(dir, later)).toEqual(['v1000000000001-1-a']);
    expect(readdirSync(path.join(dir, 'versions'))).toEqual(['v1000000000003-1-c']);
    expect(existsSync(path.join(dir, '.replicas', 'r1.json'))).toBe(false);
  });
});
