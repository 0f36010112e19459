/**
 * Name lists for generated people. Deliberately includes accents, diaereses,
 * apostrophes and hyphens (José, Zoë, O'Brien, Nguyễn, Smith-Jones): real
 * rosters have them and they break naive CSV, SQL, e-mail and URL handling.
 * Lists are short on purpose so that duplicate full names occur naturally.
 */
export const FIRST_NAMES: readonly string[] = [
  'Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Elijah', 'Sophia', 'Mateo', 'Isabella', 'Lucas',
  'Mia', 'Ethan', 'Amelia', 'James', 'Harper', 'Aiden', 'Evelyn', 'Benjamin', 'Abigail', 'Jackson',
  'Emily', 'Sebastián', 'Ella', 'José', 'Zoë', 'Chloé', 'Renée', 'Siobhán', 'Björn', 'Anaïs',
  'François', 'Mía', 'Ángel', 'Nicolás', 'Priya', 'Aarav', 'Fatima', 'Mohammed', 'Yuki', 'Hiro',
  'Mei', 'Jin', 'Ngozi', 'Kwame', 'Aaliyah', 'Darnell', 'Keisha', 'DeShawn', 'Léa', 'Noé',
  "D'Andre", 'Mary-Kate', 'Jean-Luc', 'Ana Sofía', 'Søren', 'Zoe', 'Maya', 'Leo', 'Nora', 'Omar',
];

export const LAST_NAMES: readonly string[] = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'García', 'Miller', 'Davis', 'Rodríguez', 'Martínez',
  'Hernández', 'López', 'González', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Pérez', 'Thompson', 'White', 'Harris', 'Sánchez', 'Clark', 'Ramírez', 'Lewis', 'Robinson',
  "O'Brien", "O'Connor", "D'Souza", "D'Angelo", 'McDonald', 'Müller', 'Nguyễn', 'Trần', 'Núñez', 'Peña',
  'Smith-Jones', 'Van der Berg', 'Kowalski', 'Øvergaard', 'Kim', 'Park', 'Chen', 'Wang', 'Patel', 'Singh',
  'Okafor', 'Mensah', 'Haddad', 'Cohen', 'Rossi', 'Dubois', 'Schäfer', 'Ó Súilleabháin', 'Yamamoto', 'Ali',
];

export const MIDDLE_INITIALS: readonly string[] = ['A', 'B', 'C', 'D', 'E', 'J', 'K', 'L', 'M', 'R', 'S', 'T'];

/** Course catalog shared by every generated district (Clever subjects in brackets). */
export const COURSE_CATALOG: readonly { name: string; number: string; subject: string; subjectName: string }[] = [
  { name: 'English Language Arts', number: 'ELA-100', subject: 'english/language arts', subjectName: 'English' },
  { name: 'Algebra I', number: 'MTH-110', subject: 'math', subjectName: 'Mathematics' },
  { name: 'Biology', number: 'SCI-120', subject: 'science', subjectName: 'Science' },
  { name: 'World History', number: 'SOC-130', subject: 'social studies', subjectName: 'Social Studies' },
  { name: 'Spanish I', number: 'LNG-140', subject: 'language', subjectName: 'World Languages' },
  { name: 'Visual Art', number: 'ART-150', subject: 'arts and music', subjectName: 'Fine Arts' },
  { name: 'Physical Education', number: 'PE-160', subject: 'PE and health', subjectName: 'Physical Education' },
  { name: 'Geometry', number: 'MTH-210', subject: 'math', subjectName: 'Mathematics' },
  { name: 'Chemistry', number: 'SCI-220', subject: 'science', subjectName: 'Science' },
  { name: 'U.S. History', number: 'SOC-230', subject: 'social studies', subjectName: 'Social Studies' },
  { name: 'Computer Science Principles', number: 'TEC-240', subject: 'technology and engineering', subjectName: 'Computer Science' },
  { name: 'Choir', number: 'MUS-250', subject: 'arts and music', subjectName: 'Music' },
  { name: 'Advisory', number: 'ADV-001', subject: 'homeroom/advisory', subjectName: 'Homeroom' },
  { name: 'Reading Intervention', number: 'INT-010', subject: 'interventions/online learning', subjectName: 'Intervention' },
  { name: 'Study Hall', number: 'STH-001', subject: 'other', subjectName: 'Other' },
];

export const SCHOOL_NAME_PARTS: readonly string[] = [
  'Lincoln', 'Washington', 'Riverside', 'Oak Hill', 'Cedar Ridge', 'Lakeview', 'Sunnyvale', 'Pine Crest',
  'Hillside', 'Eastwood', 'Westfield', 'Fairview', 'Brookside', 'Willow Creek', 'Summit', 'Valley View',
  'César Chávez', "O'Keeffe", 'Mountain View', 'Harbor', 'Meadowbrook', 'Highland', 'Northgate', 'Southridge',
];

/**
 * Lower-case ASCII for usernames and e-mail local parts: strip accents and
 * drop anything that is not a letter, digit or dot (apostrophes, spaces).
 */
export function asciiSlug(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/gi, 'o')
    .toLowerCase()
    .replace(/[^a-z0-9.]/g, '');
}
