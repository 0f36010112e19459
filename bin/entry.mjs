// Which code `bin/rollcall.mjs` runs: the compiled build when its stamp
// (dist/.built, written by `npm run build:server` after tsc) is at least as
// new as package.json and every .ts file under src/ and sim/; the sources
// otherwise, so an edit is never answered by stale code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestSource(root) {
  let newest = statSync(join(root, 'package.json')).mtimeMs;
  for (const dir of ['src', 'sim']) {
    for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/** 'dist' or 'source'; ROLLCALL_FROM_SOURCE=true always picks the sources. */
export function chooseEntry(root, env = process.env) {
  if (env.ROLLCALL_FROM_SOURCE === 'true') return 'source';
  const stamp = join(root, 'dist', '.built');
  if (!existsSync(stamp) || !existsSync(join(root, 'dist', 'src', 'main.js'))) return 'source';
  return statSync(stamp).mtimeMs >= newestSource(root) ? 'dist' : 'source';
}
