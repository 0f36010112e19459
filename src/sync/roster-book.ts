/**
 * The provider's rosters for the imported classes of one full reconciliation,
 * kept compactly so memory stays flat as districts grow: student external ids
 * are interned once (a district's students, not its enrollments), and each
 * class's roster is a slice of one Int32Array of student indexes.
 */
export class RosterBook {
  private readonly index = new Map<string, number>();
  /** Student external ids by index. */
  readonly students: string[] = [];
  private data = new Int32Array(1 << 14);
  private used = 0;
  private readonly start: Int32Array;
  /** Students in each class's roster; -1 = no roster known (the class may not lose anyone). */
  private readonly size: Int32Array;
  // Enrollment mode (rosters from a separate enrollments collection): (class, student) pairs, grouped by `close()`.
  private pairClass = new Int32Array(0);
  private pairStudent = new Int32Array(0);
  private pairs = 0;

  constructor(readonly classCount: number) {
    this.start = new Int32Array(classCount);
    this.size = new Int32Array(classCount).fill(-1);
  }

  private intern(externalId: string): number {
    let i = this.index.get(externalId);
    if (i === undefined) {
      i = this.students.length;
      this.students.push(externalId);
      this.index.set(externalId, i);
    }
    return i;
  }

  indexOf(externalId: string): number | undefined {
    return this.index.get(externalId);
  }

  /** Sections that carry their students: the latest listing of a class wins; null = no roster. */
  setRoster(classIndex: number, studentIds: readonly string[] | null): void {
    if (studentIds === null) {
      this.size[classIndex] = -1;
      return;
    }
    if (this.used + studentIds.length > this.data.length) this.data = grow(this.data, this.used + studentIds.length);
    this.start[classIndex] = this.used;
    for (const id of studentIds) this.data[this.used++] = this.intern(id);
    this.size[classIndex] = studentIds.length;
  }

  /** Enrollment mode: one (class, student) pair; `close` groups them. */
  addPair(classIndex: number, studentId: string): void {
    if (this.pairs === this.pairClass.length) {
      this.pairClass = grow(this.pairClass, this.pairs + 1);
      this.pairStudent = grow(this.pairStudent, this.pairs + 1);
    }
    this.pairClass[this.pairs] = classIndex;
    this.pairStudent[this.pairs++] = this.intern(studentId);
  }

  /** Enrollment mode: classes in `complete` get their (possibly empty) roster from the pairs. */
  close(complete: (classIndex: number) => boolean): void {
    const counts = new Int32Array(this.classCount + 1);
    for (let p = 0; p < this.pairs; p++) counts[this.pairClass[p]! + 1]!++;
    for (let c = 0; c < this.classCount; c++) counts[c + 1]! += counts[c]!;
    this.data = new Int32Array(Math.max(1, this.pairs));
    const fill = counts.slice(0, this.classCount);
    for (let p = 0; p < this.pairs; p++) this.data[fill[this.pairClass[p]!]!++] = this.pairStudent[p]!;
    for (let c = 0; c < this.classCount; c++) {
      this.start[c] = counts[c]!;
      this.size[c] = complete(c) ? counts[c + 1]! - counts[c]! : -1;
    }
    this.used = this.pairs;
    this.pairClass = new Int32Array(0);
    this.pairStudent = new Int32Array(0);
    this.pairs = 0;
  }

  /** Student indexes of a class's roster, or null when none is known. */
  rosterOf(classIndex: number): Int32Array | null {
    const n = this.size[classIndex]!;
    return n < 0 ? null : this.data.subarray(this.start[classIndex]!, this.start[classIndex]! + n);
  }

  /** For each student, the classes whose roster lists them: `classes.subarray(offsets[s], offsets[s + 1])`. */
  classesByStudent(): { offsets: Int32Array; classes: Int32Array } {
    const offsets = new Int32Array(this.students.length + 1);
    for (let c = 0; c < this.classCount; c++) {
      const roster = this.rosterOf(c);
      if (roster) for (const s of roster) offsets[s + 1]!++;
    }
    for (let s = 0; s < this.students.length; s++) offsets[s + 1]! += offsets[s]!;
    const classes = new Int32Array(offsets[this.students.length]!);
    const fill = offsets.slice(0, this.students.length);
    for (let c = 0; c < this.classCount; c++) {
      const roster = this.rosterOf(c);
      if (roster) for (const s of roster) classes[fill[s]!++] = c;
    }
    return { offsets, classes };
  }

  /** Students on at least one roster (1 = needed). */
  needed(): Uint8Array {
    const out = new Uint8Array(this.students.length);
    for (let c = 0; c < this.classCount; c++) {
      const roster = this.rosterOf(c);
      if (roster) for (const s of roster) out[s] = 1;
    }
    return out;
  }
}

function grow(a: Int32Array<ArrayBuffer>, min: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(Math.max(min, a.length * 2, 1024));
  next.set(a);
  return next;
}
