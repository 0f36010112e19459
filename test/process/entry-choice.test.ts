import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseEntry as choose } from '../../bin/entry.mjs';

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A checkout in miniature: package.json, sources, and optionally a build; every file at `at` seconds. */
function checkout(files: string[], at = 1_000_000): string {
  root = mkdtempSync(join(tmpdir(), 'rollcall-entry-'));
  for (const f of ['package.json', 'src/main.ts', 'src/db/deep/nested.ts', 'sim/index.ts', ...files]) {
    mkdirSync(dirname(join(root, f)), { recursive: true });
    writeFileSync(join(root, f), '');
    utimesSync(join(root, f), at, at);
  }
  return root;
}
const touch = (f: string, at: number) => utimesSync(join(root, f), at, at);

describe('which code bin/rollcall.mjs runs', () => {
  it('the build, when its stamp is as new as every source file', () => {
    checkout(['dist/src/main.js', 'dist/.built']);
    expect(choose(root, {})).toBe('dist');
  });

  it('the sources, when any .ts file under src/ or sim/ (at any depth) or package.json changed after the build', () => {
    for (const edited of ['src/db/deep/nested.ts', 'sim/index.ts', 'package.json']) {
      checkout(['dist/src/main.js', 'dist/.built']);
      touch(edited, 1_000_100);
      expect(choose(root, {}), edited).toBe('source');
    }
  });

  it('the sources, with no build, a build without its stamp (tsc did not finish), or ROLLCALL_FROM_SOURCE=true', () => {
    checkout([]);
    expect(choose(root, {})).toBe('source');
    checkout(['dist/src/main.js']);
    expect(choose(root, {})).toBe('source');
    checkout(['dist/src/main.js', 'dist/.built']);
    expect(choose(root, { ROLLCALL_FROM_SOURCE: 'true' })).toBe('source');
  });

  it('files other than TypeScript sources do not make a build stale', () => {
    checkout(['dist/src/main.js', 'dist/.built', 'sim/README.md']);
    touch('sim/README.md', 1_000_100);
    expect(choose(root, {})).toBe('dist');
  });
});
