#!/usr/bin/env node
// Runs the compiled build (dist/, `npm run build`) when it is current, else the
// TypeScript sources through tsx's loader (see entry.mjs). Compiled, a process
// holds about 90 MB less: tsx's loader keeps its own heap.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chooseEntry } from './entry.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (chooseEntry(root) === 'dist') {
  await import(pathToFileURL(join(root, 'dist', 'src', 'main.js')).href);
} else {
  // Node 20 cannot strip TypeScript types: tsx's loader does.
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
