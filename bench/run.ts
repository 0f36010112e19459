import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { moduleExt, nodeArgsFor } from './support/processes.ts';

/**
 * `npm run bench` — runs every bench/*.bench.ts, each in its own process (so
 * one bench's memory and warm caches do not colour the next, and peak RSS is
 * its own), one after another. Each prints a table of its figures as ratios
 * against a floor measured in the same run.
 *
 *   npm run bench                          all of them
 *   npm run bench -- --only signin         one (by file name: signin.bench.ts)
 *   npm run bench -- --only signin --concurrency 100 --total 5000
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench   on PostgreSQL (a throw-away database)
 *
 * A bench module exports `description` and `run(args)`. Never part of `npm test`.
 */
export interface BenchModule {
  readonly description: string;
  run(args: readonly string[]): Promise<void>;
}

const benchDir = fileURLToPath(new URL('./', import.meta.url));
// `npm run bench` runs the compiled benches (dist/bench), as production runs compiled code; tsx runs them from source.
const ext = moduleExt(import.meta.url);
const available = () =>
  readdirSync(benchDir)
    .filter((f) => f.endsWith(`.bench${ext}`))
    .map((f) => f.slice(0, -`.bench${ext}`.length))
    .sort();

async function child(name: string, args: readonly string[]): Promise<void> {
  const module = (await import(pathToFileURL(`${benchDir}${name}.bench${ext}`).href)) as BenchModule;
  await module.run(args);
}

function runInChild(name: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [...nodeArgsFor(import.meta.url), fileURLToPath(import.meta.url), '--child', name, ...args], { stdio: 'inherit', env: process.env });
    proc.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(argv: readonly string[]): Promise<number> {
  const childAt = argv.indexOf('--child');
  if (childAt >= 0) {
    await child(argv[childAt + 1]!, argv.filter((_v, i) => i !== childAt && i !== childAt + 1));
    return 0;
  }
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? argv[onlyAt + 1] : undefined;
  const args = onlyAt >= 0 ? argv.filter((_v, i) => i !== onlyAt && i !== onlyAt + 1) : [...argv];
  const names = available();
  if (only !== undefined && !names.includes(only)) {
    process.stderr.write(`No bench "${only}". Available: ${names.join(', ')}\n`);
    return 2;
  }
  const chosen = only ? [only] : names;
  const failed: string[] = [];
  for (const name of chosen) {
    const { description } = (await import(pathToFileURL(`${benchDir}${name}.bench${ext}`).href)) as BenchModule;
    process.stdout.write(`\n## ${name}: ${description}\n`);
    // Benchmarks share the machine with whatever else runs: say so when something else is busy.
    const [load1] = loadavg();
    process.stdout.write(`(${cpus().length} cores, load average ${load1!.toFixed(2)}${load1! > 0.7 ? ' — other work is running: figures will be low and noisy' : ''})\n`);
    const started = Date.now();
    const code = await runInChild(name, args);
    process.stdout.write(`(${name}: ${((Date.now() - started) / 1000).toFixed(0)} s${code === 0 ? '' : `, exit ${code}`})\n`);
    if (code !== 0) failed.push(name);
  }
  if (failed.length > 0) process.stderr.write(`failed: ${failed.join(', ')}\n`);
  return failed.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
