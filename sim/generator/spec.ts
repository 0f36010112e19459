import type { LayoutParams } from './layout.ts';
import { asciiSlug } from './names.ts';

/** A person whose name and e-mail are fixed (demo teachers, cross-district test users). */
export interface WellKnownPerson {
  givenName: string;
  familyName: string;
  email: string;
}

export type SchoolLevel = 'high' | 'middle' | 'elementary';

/** How a district is described in SimulatorOptions. */
export type DistrictSpec =
  | { kind: 'demo'; seed?: number }
  | {
      kind: 'generated';
      /** Number of generated students (the size parameter). */
      students: number;
      seed?: number;
      name?: string;
      schools?: number;
      emailDomain?: string;
      /** Replace the first generated teachers' names and e-mails (school 0 first). */
      wellKnownTeachers?: WellKnownPerson[];
      /** Add the awkward sections (empty, unstaffed, 1,000+ students). Default true. */
      messy?: boolean;
      periods?: number;
      classSize?: number;
    };

/** Fully resolved description the generator works from. */
export interface DistrictConfig {
  name: string;
  seed: number;
  emailDomain: string;
  city: string;
  state: { code: string; name: string };
  layout: LayoutParams;
  schoolNames: string[];
  schoolLevels: SchoolLevel[];
  wellKnownTeachers: WellKnownPerson[];
  districtAdmin: WellKnownPerson | null;
  /** Demo districts use readable fixed names; generated ones hash names from the seed. */
  demo: boolean;
}

const DEFAULT_LEVELS: readonly SchoolLevel[] = ['high', 'middle', 'elementary', 'elementary'];

export function resolveGeneratedSpec(
  spec: Extract<DistrictSpec, { kind: 'generated' }>,
  fallbackSeed: number,
  ordinal: number,
): DistrictConfig {
  const students = Math.max(1, Math.floor(spec.students));
  const seed = spec.seed ?? fallbackSeed + ordinal;
  const name = spec.name ?? `Generated District ${ordinal + 1}`;
  // ~1,500 students per school keeps school 0 big enough for a 1,000+ section.
  const schools = Math.max(1, spec.schools ?? Math.floor(students / 1500));
  return {
    name,
    seed,
    emailDomain: spec.emailDomain ?? `${asciiSlug(name.replace(/\s+/g, '')) || 'district'}.example`,
    city: 'Springfield',
    state: { code: 'OR', name: 'Oregon' },
    layout: {
      students,
      schools,
      periods: spec.periods ?? 6,
      classSize: spec.classSize ?? 25,
      sectionsPerTeacher: 5,
      staffPerSchool: 2,
      coTeachEvery: 7,
      messy: spec.messy ?? true,
      bigSectionMin: 1000,
      bigSectionSize: 1200,
    },
    schoolNames: [],
    schoolLevels: Array.from({ length: schools }, (_v, i) => DEFAULT_LEVELS[i % DEFAULT_LEVELS.length] ?? 'high'),
    wellKnownTeachers: spec.wellKnownTeachers ?? [],
    districtAdmin: null,
    demo: false,
  };
}
