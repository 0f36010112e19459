import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../../src/lib/project-root.ts';
import { withPgClient } from './database.ts';

export const repoRoot = projectRoot(import.meta.url);

/** How to start node on a sibling module of `moduleUrl`: compiled (dist/bench) needs nothing, source needs tsx. */
export const nodeArgsFor = (moduleUrl: string): string[] => (moduleExt(moduleUrl) === '.ts' ? ['--import', 'tsx'] : []);

/** Whether a bench module runs from source (.ts, through tsx) or compiled (.js, `npm run bench`). */
export const moduleExt = (moduleUrl: string): '.ts' | '.js' => (moduleUrl.endsWith('.ts') ? '.ts' : '.js');

/** The file of `name` (no extension) next to `moduleUrl`, in the same form as `moduleUrl` itself. */
export const siblingFile = (moduleUrl: string, name: string): string => fileURLToPath(new URL(`${name}${moduleExt(moduleUrl)}`, moduleUrl));

export interface ServerProcess {
  readonly child: ChildProcess;
  /** Peak resident set size seen while sampling (MB), from /proc. */
  peakRssMb(): number;
  /** CPU time (user + system) the process has used so far, in seconds, from /proc. */
  cpuSeconds(): number;
  stderr(): string;
  stop(): Promise<number | null>;
}

function rssMb(pid: number): number {
  try {
    // /proc/<pid>/statm: size resident … in pages.
    const statm = readFileSync(`/proc/${pid}/statm`, 'utf8');
    return (Number(statm.split(' ')[1]) * 4096) / 1024 / 1024;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) of a process, from /proc/<pid>/stat (clock ticks of 1/100 s). */
export function cpuSecondsOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** CPU seconds of every local PostgreSQL server process, by pid. */
export function postgresCpuByPid(): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') cpu.set(Number(entry), cpuSecondsOf(Number(entry)));
    } catch {
      // gone meanwhile
    }
  }
  return cpu;
}

/**
 * CPU seconds the backends serving one database used since `before` (a
 * postgresCpuByPid() snapshot): only that database's connections count, so
 * other work on the same PostgreSQL server does not. 0 without a database URL.
 */
export async function databaseCpuSince(url: string | undefined, before: Map<number, number>): Promise<number> {
  if (!url) return 0;
  const { rows } = await withPgClient(url, (client) => client.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()'));
  return rows.reduce((sum, { pid }) => sum + Math.max(0, cpuSecondsOf(pid) - (before.get(pid) ?? 0)), 0);
}

/** Whole-machine CPU: busy and total jiffies, to tell whether a run saturated the machine. */
export function machineCpu(): { busy: number; total: number } {
  const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
  const v = cpu!.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/**
 * Starts a server process (its stdout is discarded: the server logs at its
 * normal level, as in production, without the bench reading it) and resolves
 * once `healthUrl` answers 200.
 */
export async function startServer(args: readonly string[], env: Record<string, string>, healthUrl: string, timeoutMs = 90_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => (err = (err + d.toString()).slice(-20_000)));
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, child.pid ? rssMb(child.pid) : 0)), 250);
  sampler.unref();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}:\n${err}`);
    try {
      if ((await fetch(healthUrl)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${args.join(' ')} did not become healthy:\n${err}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    child,
    peakRssMb: () => peak,
    cpuSeconds: () => cpuSecondsOf(child.pid),
    stderr: () => err,
    stop: () =>
      new Promise((resolve) => {
        clearInterval(sampler);
        if (child.exitCode !== null) return resolve(child.exitCode);
        const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.once('exit', (code) => {
          clearTimeout(killer);
          resolve(code);
        });
        child.kill('SIGTERM');
      }),
  };
}
