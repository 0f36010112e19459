import { chunk } from './plan.ts';
import type { RosterBook } from './roster-book.ts';

interface IdentityRow {
  readonly externalId: string;
  readonly userId: string;
  readonly role: string;
  readonly digest: string;
}

/**
 * Which of the roster book's students Rollcall already has, looked up while
 * the rosters are still being read: each page's newly seen ids go to the
 * database in the background (one lookup at a time), so the run does not
 * wait for all of them once the last page is in.
 */
export class KnownStudents {
  /** 0 = no account yet, 1 = a student account, 2 = an account in another role (used only if described as a student); 3 = counted by a dry run. */
  known = new Uint8Array(1024);
  /** 64 bits of each known student's stored-record digest: an unchanged record is not written again. */
  digests = new Uint32Array(2048);
  readonly userOf: (string | undefined)[] = [];
  private sent = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly book: RosterBook,
    private readonly lookup: (externalIds: readonly string[]) => Promise<readonly IdentityRow[]>,
  ) {}

  /** Sends the students seen since the last call, once there are at least `atLeast`. */
  catchUp(atLeast = 1): void {
    const from = this.sent;
    const to = this.book.students.length;
    if (to - from < Math.max(1, atLeast)) return;
    this.sent = to;
    const ids = this.book.students.slice(from, to);
    this.chain = this.chain.then(async () => {
      for (const part of chunk(ids, 5000)) this.apply(await this.lookup(part));
    });
    // Reported by settle(); never an unhandled rejection meanwhile.
    this.chain.catch(() => undefined);
  }

  /** Every student of the book looked up (rejects with the first failed lookup). */
  async settle(): Promise<void> {
    this.catchUp();
    await this.chain;
    this.fit(this.book.students.length);
  }

  /** Stores 64 bits of a hex digest for student `i`; false when they were already there. */
  setDigest(i: number, hex: string): boolean {
    const hi = Number.parseInt(hex.slice(0, 8), 16);
    const lo = Number.parseInt(hex.slice(8, 16), 16);
    if (this.digests[2 * i] === hi && this.digests[2 * i + 1] === lo) return false;
    this.digests[2 * i] = hi;
    this.digests[2 * i + 1] = lo;
    return true;
  }

  private apply(rows: readonly IdentityRow[]): void {
    this.fit(this.book.students.length);
    for (const r of rows) {
      const i = this.book.indexOf(r.externalId);
      if (i === undefined) continue;
      if (r.role === 'student') {
        this.known[i] = 1;
        this.userOf[i] = r.userId;
        this.setDigest(i, r.digest);
      } else this.known[i] = 2;
    }
  }

  private fit(n: number): void {
    if (n <= this.known.length) return;
    const size = Math.max(n, this.known.length * 2);
    const known = new Uint8Array(size);
    known.set(this.known);
    this.known = known;
    const digests = new Uint32Array(size * 2);
    digests.set(this.digests);
    this.digests = digests;
  }
}
