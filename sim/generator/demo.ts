import type { DistrictConfig, WellKnownPerson } from './spec.ts';

/**
 * "Maple Grove Unified": the fixed demo district. Two schools, six teachers
 * with memorable e-mails (the app's demo seed licenses these), 24 sections of
 * 20 students, co-taught sections and a section in last year's (ended) term.
 * It is an ordinary generated district with fixed parameters, so it goes
 * through exactly the same code as the big ones.
 */
export const MAPLE_GROVE_TEACHERS: readonly WellKnownPerson[] = [
  { givenName: 'Elena', familyName: 'Rivera', email: 'ms.rivera@maplegrove.example' },
  { givenName: 'David', familyName: "O'Brien", email: 'mr.obrien@maplegrove.example' },
  { givenName: 'Zoë', familyName: 'Chen', email: 'ms.chen@maplegrove.example' },
  { givenName: 'José', familyName: 'Martínez', email: 'mr.martinez@maplegrove.example' },
  { givenName: 'Aisha', familyName: 'Patel', email: 'ms.patel@maplegrove.example' },
  { givenName: 'Tom', familyName: 'Nguyen', email: 'mr.nguyen@maplegrove.example' },
];

export const MAPLE_GROVE_ADMIN: WellKnownPerson = {
  givenName: 'Grace',
  familyName: 'Holloway',
  email: 'g.holloway@maplegrove.example',
};

export const MAPLE_GROVE_SEED = 20240901;

export function mapleGroveConfig(seed: number = MAPLE_GROVE_SEED): DistrictConfig {
  return {
    name: 'Maple Grove Unified',
    seed,
    emailDomain: 'maplegrove.example',
    city: 'Maple Grove',
    state: { code: 'OR', name: 'Oregon' },
    layout: {
      students: 120,
      schools: 2,
      periods: 4,
      classSize: 20,
      sectionsPerTeacher: 4,
      staffPerSchool: 2,
      coTeachEvery: 12,
      messy: false,
      bigSectionMin: 1000,
      bigSectionSize: 1200,
    },
    schoolNames: ['Maple Grove High School', 'Maple Grove Middle School'],
    schoolLevels: ['high', 'middle'],
    wellKnownTeachers: [...MAPLE_GROVE_TEACHERS],
    districtAdmin: MAPLE_GROVE_ADMIN,
    demo: true,
  };
}
