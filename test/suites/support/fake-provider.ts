import type {
  CanonicalDistrict,
  CanonicalPerson,
  CanonicalSchool,
  CanonicalSection,
  ChangePage,
  ChangeRecord,
  ConnectionReport,
  ProviderCapabilities,
  RosterProvider,
} from '../../../src/providers/roster-provider.ts';

/**
 * The roster-provider port, in memory: a roster the test changes directly,
 * a change log read back as the change feed (cursor = log position), and
 * "noise" — the malformed and irrelevant records real feeds mix in — added
 * to every read without being part of the roster:
 * - ghost enrollments: a student id the provider never describes (person() is null);
 * - duplicate person records (the same record twice, possibly on two pages);
 * - people without the student role, and sections nobody imported;
 * - repeated enrollment pairs.
 */
export interface FakeStudent {
  readonly id: string;
  givenName: string;
  familyName: string;
  email: string | null;
  grade: string | null;
}

export interface FakeNoise {
  ghosts: { sectionId: string; personId: string }[];
  duplicates: string[];
  nonStudents: CanonicalPerson[];
  strangerSections: CanonicalSection[];
  repeatedPairs: { sectionId: string; personId: string }[];
}

const emptyNoise = (): FakeNoise => ({ ghosts: [], duplicates: [], nonStudents: [], strangerSections: [], repeatedPairs: [] });

export class FakeRosterProvider implements RosterProvider {
  readonly kind = 'clever' as const;
  readonly capabilities: ProviderCapabilities;
  readonly students = new Map<string, FakeStudent>();
  readonly sections = new Map<string, { name: string; students: Set<string> }>();
  noise: FakeNoise = emptyNoise();
  private readonly log: ChangeRecord[] = [];
  private tick = 0;

  constructor(private readonly options: { inline: boolean; pageSize: number }) {
    this.capabilities = { changeFeed: 'events', teacherSections: true, inlineSectionStudents: options.inline };
  }

  // --- changes the test makes (each one also goes to the change feed) ---

  addStudent(student: FakeStudent): void {
    this.students.set(student.id, student);
    this.log.push({ kind: 'person', action: 'upsert', person: this.person_(student) });
  }

  rename(id: string, givenName: string, familyName: string): void {
    const s = this.students.get(id)!;
    s.givenName = givenName;
    s.familyName = familyName;
    this.log.push({ kind: 'person', action: 'upsert', person: this.person_(s) });
  }

  addSection(id: string, name: string): void {
    this.sections.set(id, { name, students: new Set() });
  }

  renameSection(id: string, name: string): void {
    this.sections.get(id)!.name = name;
    this.log.push({ kind: 'section', action: 'upsert', section: { ...this.section_(id), studentIds: null } });
  }

  enroll(sectionId: string, personId: string): void {
    this.sections.get(sectionId)!.students.add(personId);
    this.log.push({ kind: 'enrollment', action: 'upsert', sectionId, personId, role: 'student', at: this.at() });
  }

  unenroll(sectionId: string, personId: string): void {
    this.sections.get(sectionId)!.students.delete(personId);
    this.log.push({ kind: 'enrollment', action: 'delete', sectionId, personId, role: 'student', at: this.at() });
  }

  /**
   * Noise for the next reads; ghost enrollments also enter the change feed. A
   * repeated pair is a real enrollment (of a real student) that every read lists twice.
   */
  setNoise(noise: FakeNoise): void {
    this.noise = noise;
    for (const g of noise.ghosts) this.log.push({ kind: 'enrollment', action: 'upsert', sectionId: g.sectionId, personId: g.personId, role: 'student', at: this.at() });
    for (const p of noise.repeatedPairs) {
      this.enroll(p.sectionId, p.personId);
      this.log.push({ kind: 'enrollment', action: 'upsert', sectionId: p.sectionId, personId: p.personId, role: 'student', at: this.at() });
    }
    for (const id of noise.duplicates) if (this.students.has(id)) this.log.push({ kind: 'person', action: 'upsert', person: this.person_(this.students.get(id)!) });
  }

  // --- the port ---

  async testConnection(): Promise<ConnectionReport> {
    return { district: await this.district(), schools: 0, teachers: 0, sections: this.sections.size, students: this.students.size };
  }

  async district(): Promise<CanonicalDistrict> {
    return { externalId: 'fake-district', name: 'Fake district' };
  }

  async schools(): Promise<CanonicalSchool[]> {
    return [];
  }

  async sectionsForTeacher(): Promise<CanonicalSection[]> {
    return [...this.sections.keys()].map((id) => this.section_(id));
  }

  async section(externalId: string): Promise<CanonicalSection | null> {
    return this.sections.has(externalId) ? this.section_(externalId) : null;
  }

  async studentsOfSection(sectionExternalId: string): Promise<CanonicalPerson[]> {
    return [...(this.sections.get(sectionExternalId)?.students ?? [])].map((id) => this.person_(this.students.get(id)!));
  }

  async person(externalId: string): Promise<CanonicalPerson | null> {
    const s = this.students.get(externalId);
    return s ? this.person_(s) : null;
  }

  async *allSections(): AsyncIterable<CanonicalSection[]> {
    const extra = (id: string) => [...this.noise.ghosts, ...this.noise.repeatedPairs].filter((g) => g.sectionId === id).map((g) => g.personId);
    // Inline rosters carry the noise too: ids nobody describes, and an id listed twice.
    const sections = [...this.sections.keys()].map((id) => {
      const s = this.section_(id);
      return s.studentIds === null ? s : { ...s, studentIds: [...s.studentIds, ...extra(id)] };
    });
    yield* this.pages([...sections, ...this.noise.strangerSections]);
  }

  async *allStudents(): AsyncIterable<CanonicalPerson[]> {
    const people = [...this.students.values()].map((s) => this.person_(s));
    const dupes = this.noise.duplicates.filter((id) => this.students.has(id)).map((id) => this.person_(this.students.get(id)!));
    // Duplicates land after the original, often on another page; people without the student role are mixed in.
    yield* this.pages([...people, ...this.noise.nonStudents, ...dupes]);
  }

  async *allStudentEnrollments(): AsyncIterable<readonly { readonly sectionId: string; readonly personId: string }[]> {
    const pairs = [...this.sections].flatMap(([sectionId, s]) => [...s.students].map((personId) => ({ sectionId, personId })));
    yield* this.pages([...pairs, ...this.noise.ghosts, ...this.noise.repeatedPairs]);
  }

  async currentCursor(): Promise<string> {
    return String(this.log.length);
  }

  async *changesSince(cursor: string): AsyncIterable<ChangePage> {
    let at = cursor === '' ? 0 : Number(cursor);
    if (at >= this.log.length) {
      yield { changes: [], cursor: String(at), warnings: [] };
      return;
    }
    while (at < this.log.length) {
      const changes = this.log.slice(at, at + this.options.pageSize);
      at += changes.length;
      yield { changes, cursor: String(at), warnings: [] };
    }
  }

  // --- helpers ---

  private *pages<T>(items: readonly T[]): Generator<T[]> {
    for (let i = 0; i < items.length; i += this.options.pageSize) yield items.slice(i, i + this.options.pageSize);
  }

  private at(): string {
    return new Date(Date.UTC(2026, 0, 1) + ++this.tick * 1000).toISOString();
  }

  private person_(s: FakeStudent): CanonicalPerson {
    return { externalId: s.id, roles: ['student'], givenName: s.givenName, familyName: s.familyName, email: s.email, grade: s.grade, schoolIds: [], active: true };
  }

  private section_(id: string): CanonicalSection {
    const s = this.sections.get(id)!;
    return {
      externalId: id,
      name: s.name,
      schoolId: null,
      courseName: null,
      subject: null,
      period: null,
      term: null,
      teacherIds: [],
      studentIds: this.options.inline ? [...s.students] : null,
      status: 'active',
    };
  }
}
