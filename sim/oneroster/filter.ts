import type { Json, OrVersion } from './serialize.ts';

/**
 * OneRoster `filter` expressions: `field op 'value'`, optionally joined to a
 * second predicate by one AND or OR (1.1 allows one logical operator).
 * Operators = != > >= < <= ~ (contains). Values are always single-quoted
 * strings and compared as strings (dates compare correctly as ISO text).
 * Dot paths reach into GUIDRefs (`school.sourcedId`, `orgs.sourcedId`); an
 * array matches when any element does.
 */
export type Op = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~';

export interface Predicate {
  field: string;
  op: Op;
  value: string;
}

export interface FilterExpr {
  predicates: Predicate[];
  join: 'AND' | 'OR' | null;
}

export class FilterSyntaxError extends Error {}

export type RecordType = 'academicSession' | 'org' | 'course' | 'class' | 'user' | 'enrollment';

const COMMON = ['sourcedId', 'status', 'dateLastModified', 'metadata'];

/** Filterable fields per record type; the second list names GUIDRef-valued fields. */
const FIELDS: Record<RecordType, { plain: string[]; refs: string[] }> = {
  academicSession: { plain: ['title', 'type', 'startDate', 'endDate', 'schoolYear'], refs: ['parent', 'children'] },
  org: { plain: ['name', 'type', 'identifier'], refs: ['parent', 'children'] },
  course: { plain: ['title', 'courseCode', 'grades', 'subjects', 'subjectCodes'], refs: ['schoolYear', 'org', 'resources'] },
  class: {
    plain: ['title', 'classCode', 'classType', 'location', 'grades', 'subjects', 'subjectCodes', 'periods'],
    refs: ['course', 'school', 'terms', 'resources'],
  },
  user: {
    plain: ['username', 'userIds', 'enabledUser', 'givenName', 'familyName', 'middleName', 'identifier', 'email', 'sms', 'phone', 'grades', 'password'],
    refs: ['agents'],
  },
  enrollment: { plain: ['role', 'primary', 'beginDate', 'endDate'], refs: ['user', 'class', 'school'] },
};

const USER_BY_VERSION: Record<OrVersion, { plain: string[]; refs: string[] }> = {
  '1.1': { plain: ['role'], refs: ['orgs'] },
  '1.2': { plain: ['userMasterIdentifier', 'preferredFirstName', 'preferredMiddleName', 'preferredLastName', 'pronouns', 'roles', 'userProfiles'], refs: ['primaryOrg'] },
};

export function knownField(type: RecordType, version: OrVersion, field: string): boolean {
  const spec = FIELDS[type];
  const extra = type === 'user' ? USER_BY_VERSION[version] : { plain: [], refs: [] };
  const [head, ...rest] = field.split('.');
  if (head === undefined) return false;
  if (rest.length === 0) {
    return COMMON.includes(head) || spec.plain.includes(head) || extra.plain.includes(head) || spec.refs.includes(head) || extra.refs.includes(head);
  }
  // Dotted paths: into a GUIDRef, into user roles/userIds, or into metadata.
  if (head === 'metadata') return true;
  if (spec.refs.includes(head) || extra.refs.includes(head)) return ['sourcedId', 'type', 'href'].includes(rest.join('.'));
  if (head === 'roles' && type === 'user' && version === '1.2') return ['role', 'roleType', 'org.sourcedId'].includes(rest.join('.'));
  if (head === 'userIds' && type === 'user') return ['type', 'identifier'].includes(rest.join('.'));
  return false;
}

export function parseFilter(text: string): FilterExpr {
  let pos = 0;
  const skip = () => {
    while (pos < text.length && /\s/.test(text[pos] ?? '')) pos++;
  };
  const predicate = (): Predicate => {
    skip();
    const fieldMatch = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(pos));
    if (fieldMatch === null) throw new FilterSyntaxError(`expected a field name at position ${pos}`);
    const field = fieldMatch[0];
    pos += field.length;
    skip();
    const opMatch = /^(!=|>=|<=|=|>|<|~)/.exec(text.slice(pos));
    if (opMatch === null) throw new FilterSyntaxError(`expected an operator after ${field}`);
    const op = opMatch[0] as Op;
    pos += op.length;
    skip();
    if (text[pos] !== "'") throw new FilterSyntaxError('values must be in single quotes');
    pos++;
    let value = '';
    for (;;) {
      if (pos >= text.length) throw new FilterSyntaxError('unterminated value');
      const ch = text[pos] ?? '';
      if (ch === "'") {
        // '' inside a value stands for one quote (O''Brien).
        if (text[pos + 1] === "'") {
          value += "'";
          pos += 2;
          continue;
        }
        pos++;
        break;
      }
      value += ch;
      pos++;
    }
    return { field, op, value };
  };
  const first = predicate();
  skip();
  if (pos >= text.length) return { predicates: [first], join: null };
  const joinMatch = /^(AND|OR)\b/.exec(text.slice(pos));
  if (joinMatch === null) throw new FilterSyntaxError(`unexpected text at position ${pos}`);
  pos += joinMatch[0].length;
  const second = predicate();
  skip();
  if (pos < text.length) throw new FilterSyntaxError('only one logical operator is allowed');
  return { predicates: [first, second], join: joinMatch[0] as 'AND' | 'OR' };
}

function valuesAt(record: unknown, path: string[]): unknown[] {
  if (path.length === 0) return [record];
  if (Array.isArray(record)) return record.flatMap((item) => valuesAt(item, path));
  if (record === null || typeof record !== 'object') return [];
  const [head, ...rest] = path;
  return valuesAt((record as Json)[head ?? ''], rest);
}

function compare(actual: string, op: Op, expected: string): boolean {
  switch (op) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '~':
      // The spec says "contains" without saying case-insensitive; the strict reading is safest for clients.
      return actual.includes(expected);
  }
}

export function matchPredicate(record: Json, p: Predicate): boolean {
  const values = valuesAt(record, p.field.split('.')).flatMap((v) => (Array.isArray(v) ? v : [v]));
  const strings = values.map((v) => (v === undefined || v === null ? '' : String(v)));
  if (strings.length === 0) strings.push('');
  // != means "no element equals"; every other operator means "some element matches".
  if (p.op === '!=') return strings.every((s) => s !== p.value);
  return strings.some((s) => compare(s, p.op, p.value));
}

export function matches(record: Json, expr: FilterExpr): boolean {
  const results = expr.predicates.map((p) => matchPredicate(record, p));
  return expr.join === 'OR' ? results.some(Boolean) : results.every(Boolean);
}

/**
 * True when only records changed after `createdAt` can match: lets a
 * `dateLastModified>'…'` delta query look at the change overlay instead of
 * scanning a huge generated population.
 */
export function onlyChangedCanMatch(expr: FilterExpr, createdAt: string): boolean {
  const restricts = (p: Predicate) =>
    p.field === 'dateLastModified' && ((p.op === '>' && p.value >= createdAt) || (p.op === '>=' && p.value > createdAt));
  return expr.join === 'OR' ? expr.predicates.every(restricts) : expr.predicates.some(restricts);
}
