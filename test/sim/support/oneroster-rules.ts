/**
 * OneRoster 1.1/1.2 field rules (required fields, enums, GUIDRef shape) from
 * the 1EdTech spec as summarised in oneroster-classlink.md §2–3. Returns a
 * list of problems; empty means the record conforms.
 */
export type RecordType = 'org' | 'academicSession' | 'course' | 'class' | 'user' | 'enrollment';

const GUID_TYPES = ['academicSession', 'category', 'class', 'course', 'demographics', 'enrollment', 'gradingPeriod', 'lineItem', 'org', 'resource', 'result', 'student', 'teacher', 'term', 'user'];
const ORG_TYPES = ['department', 'school', 'district', 'local', 'state', 'national'];
const SESSION_TYPES = ['gradingPeriod', 'semester', 'schoolYear', 'term'];
const ROLES_11 = ['administrator', 'aide', 'guardian', 'parent', 'proctor', 'relative', 'student', 'teacher'];
const ROLES_12 = ['aide', 'counselor', 'districtAdministrator', 'guardian', 'parent', 'principal', 'proctor', 'relative', 'siteAdministrator', 'student', 'systemAdministrator', 'teacher'];
const ENROLLMENT_ROLES = ['administrator', 'proctor', 'student', 'teacher'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

type Rec = Record<string, unknown>;

function guidRef(value: unknown, expectedType: string, where: string, problems: string[]): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${where}: not a GUIDRef`);
    return;
  }
  const ref = value as Rec;
  const keys = Object.keys(ref).sort().join(',');
  if (keys !== 'href,sourcedId,type') problems.push(`${where}: GUIDRef keys are ${keys}`);
  if (typeof ref['sourcedId'] !== 'string' || ref['sourcedId'] === '') problems.push(`${where}: empty sourcedId`);
  if (!GUID_TYPES.includes(String(ref['type']))) problems.push(`${where}: bad type ${String(ref['type'])}`);
  if (ref['type'] !== expectedType) problems.push(`${where}: type ${String(ref['type'])}, expected ${expectedType}`);
  if (typeof ref['href'] !== 'string' || !/^https?:\/\//.test(ref['href']) || !ref['href'].endsWith(`/${String(ref['sourcedId'])}`)) {
    problems.push(`${where}: href ${String(ref['href'])}`);
  }
}

function refs(value: unknown, expectedType: string, where: string, problems: string[], min = 0): void {
  if (!Array.isArray(value)) {
    problems.push(`${where}: not an array`);
    return;
  }
  if (value.length < min) problems.push(`${where}: needs at least ${min}`);
  value.forEach((v, i) => guidRef(v, expectedType, `${where}[${i}]`, problems));
}

function str(r: Rec, key: string, problems: string[], pattern?: RegExp): void {
  const v = r[key];
  if (typeof v !== 'string' || v === '') problems.push(`${key}: required string, got ${JSON.stringify(v)}`);
  else if (pattern !== undefined && !pattern.test(v)) problems.push(`${key}: "${v}" does not match ${pattern}`);
}

function oneOf(r: Rec, key: string, allowed: string[], problems: string[]): void {
  if (!allowed.includes(String(r[key]))) problems.push(`${key}: "${String(r[key])}" not in ${allowed.join('|')}`);
}

export function checkRecord(type: RecordType, version: '1.1' | '1.2', r: Rec): string[] {
  const problems: string[] = [];
  str(r, 'sourcedId', problems);
  oneOf(r, 'status', ['active', 'tobedeleted'], problems);
  str(r, 'dateLastModified', problems, DATETIME);
  switch (type) {
    case 'org':
      str(r, 'name', problems);
      oneOf(r, 'type', ORG_TYPES, problems);
      if (version === '1.2') str(r, 'identifier', problems);
      if (r['parent'] !== undefined) guidRef(r['parent'], 'org', 'parent', problems);
      if (r['children'] !== undefined) refs(r['children'], 'org', 'children', problems);
      break;
    case 'academicSession':
      str(r, 'title', problems);
      str(r, 'startDate', problems, DATE);
      str(r, 'endDate', problems, DATE);
      oneOf(r, 'type', SESSION_TYPES, problems);
      str(r, 'schoolYear', problems, /^\d{4}$/);
      if (r['parent'] !== undefined) guidRef(r['parent'], 'academicSession', 'parent', problems);
      break;
    case 'course':
      str(r, 'title', problems);
      guidRef(r['org'], 'org', 'org', problems);
      if (r['schoolYear'] !== undefined) guidRef(r['schoolYear'], 'academicSession', 'schoolYear', problems);
      break;
    case 'class':
      str(r, 'title', problems);
      oneOf(r, 'classType', ['homeroom', 'scheduled'], problems);
      guidRef(r['course'], 'course', 'course', problems);
      guidRef(r['school'], 'org', 'school', problems);
      refs(r['terms'], 'academicSession', 'terms', problems, 1);
      break;
    case 'user': {
      oneOf(r, 'enabledUser', ['true', 'false'], problems);
      str(r, 'givenName', problems);
      str(r, 'familyName', problems);
      if (typeof r['username'] !== 'string') problems.push('username: required');
      if (version === '1.1') {
        oneOf(r, 'role', ROLES_11, problems);
        refs(r['orgs'], 'org', 'orgs', problems, 1);
        if ('roles' in r) problems.push('1.1 user has roles[]');
      } else {
        if ('role' in r || 'orgs' in r) problems.push('1.2 user has 1.1 role/orgs');
        const roles = r['roles'];
        if (!Array.isArray(roles) || roles.length === 0) problems.push('roles: required');
        else {
          const primaries = new Map<string, number>();
          roles.forEach((role: Rec, i) => {
            oneOf(role, 'roleType', ['primary', 'secondary'], problems);
            oneOf(role, 'role', ROLES_12, problems);
            guidRef(role['org'], 'org', `roles[${i}].org`, problems);
            const org = String((role['org'] as Rec | undefined)?.['sourcedId']);
            if (role['roleType'] === 'primary') primaries.set(org, (primaries.get(org) ?? 0) + 1);
          });
          for (const [org, n] of primaries) if (n !== 1) problems.push(`roles: ${n} primary roles for org ${org}`);
        }
      }
      break;
    }
    case 'enrollment':
      guidRef(r['user'], 'user', 'user', problems);
      guidRef(r['class'], 'class', 'class', problems);
      guidRef(r['school'], 'org', 'school', problems);
      oneOf(r, 'role', ENROLLMENT_ROLES, problems);
      if (r['primary'] !== undefined) oneOf(r, 'primary', ['true', 'false'], problems);
      break;
  }
  return problems;
}
