import { readFileSync } from 'node:fs';

/**
 * A small YAML (block-style subset) reader and a Swagger 2.0 definitions
 * checker — enough for Clever's published v3.0 spec, so the simulator's
 * objects are checked against Clever's own field names, types and enums
 * rather than against our reading of them.
 */
export type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };

interface Line {
  indent: number;
  text: string;
}

function scalar(raw: string): Yaml {
  const v = raw.trim();
  if (v.startsWith('"')) return JSON.parse(v) as string;
  if (v.startsWith("'")) return v.slice(1, -1).replace(/''/g, "'");
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (v === 'null' || v === '~') return null;
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return v;
}

const KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s'"-][^:]*?|-[^\s][^:]*?):(?:\s+(.*))?$/;

export function parseYaml(text: string): Yaml {
  const lines: Line[] = text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))
    .map((l) => ({ indent: l.length - l.trimStart().length, text: l.trim() }));
  let i = 0;

  const isItem = (l: Line | undefined, indent: number) => l !== undefined && l.indent === indent && (l.text === '-' || l.text.startsWith('- '));

  function block(indent: number): Yaml {
    return isItem(lines[i], indent) ? sequence(indent) : mapping(indent);
  }

  function valueAfterKey(rest: string | undefined, indent: number): Yaml {
    if (rest !== undefined && rest !== '') return scalar(rest);
    const next = lines[i];
    if (next === undefined) return null;
    if (next.indent > indent) return block(next.indent);
    if (isItem(next, indent)) return sequence(indent);
    return null;
  }

  function mapping(indent: number): { [key: string]: Yaml } {
    const out: { [key: string]: Yaml } = {};
    while (i < lines.length) {
      const line = lines[i]!;
      if (line.indent !== indent || isItem(line, indent)) break;
      const m = KEY.exec(line.text);
      if (m === null) throw new Error(`YAML: cannot read "${line.text}"`);
      const key = scalar(m[1] ?? '') as string;
      i++;
      out[String(key)] = valueAfterKey(m[2], indent);
    }
    return out;
  }

  function sequence(indent: number): Yaml[] {
    const out: Yaml[] = [];
    while (isItem(lines[i], indent)) {
      const line = lines[i]!;
      const content = line.text === '-' ? '' : line.text.slice(2);
      if (content === '') {
        i++;
        out.push(block(lines[i]?.indent ?? indent + 2));
      } else if (KEY.test(content)) {
        // "- key: value" opens a mapping whose keys sit two columns in.
        lines[i] = { indent: indent + 2, text: content };
        out.push(mapping(indent + 2));
      } else {
        i++;
        out.push(scalar(content));
      }
    }
    return out;
  }

  return block(lines[0]?.indent ?? 0);
}

export type Schema = { [key: string]: Yaml };

export class SwaggerChecker {
  readonly definitions: Record<string, Schema>;

  constructor(readonly spec: { [key: string]: Yaml }) {
    this.definitions = spec['definitions'] as Record<string, Schema>;
  }

  static load(path: string): SwaggerChecker {
    return new SwaggerChecker(parseYaml(readFileSync(path, 'utf8')) as { [key: string]: Yaml });
  }

  private deref(schema: Schema): Schema {
    const ref = schema['$ref'];
    if (typeof ref !== 'string') return schema;
    const name = ref.replace('#/definitions/', '');
    const target = this.definitions[name];
    if (target === undefined) throw new Error(`unknown $ref ${ref}`);
    // Sibling keys next to $ref (e.g. x-nullable) still apply.
    return { ...target, ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$ref')) };
  }

  /** Errors for `value` against definition `name` (empty = valid). Unknown properties are errors. */
  check(name: string, value: unknown): string[] {
    const def = this.definitions[name];
    if (def === undefined) return [`no definition ${name}`];
    return this.checkSchema(def, value, name);
  }

  checkSchema(raw: Schema, value: unknown, path: string): string[] {
    const schema = this.deref(raw);
    if (value === null) return schema['x-nullable'] === true ? [] : [`${path}: null is not allowed`];
    if (Array.isArray(schema['allOf'])) {
      // The union of allOf members' properties is what may appear.
      const merged: Schema = { type: 'object', properties: {} };
      const props = merged['properties'] as Record<string, Yaml>;
      const required: Yaml[] = [];
      for (const part of schema['allOf'] as Schema[]) {
        const p = this.deref(part);
        Object.assign(props, (p['properties'] as Record<string, Yaml> | undefined) ?? {});
        if (Array.isArray(p['required'])) required.push(...p['required']);
      }
      merged['required'] = required;
      return this.checkSchema(merged, value, path);
    }
    // Polymorphic models (Event): the discriminator property names the concrete definition.
    const discriminator = schema['discriminator'];
    if (typeof discriminator === 'string' && typeof value === 'object' && !Array.isArray(value)) {
      const concrete = (value as Record<string, unknown>)[discriminator];
      if (typeof concrete === 'string' && this.definitions[concrete] !== undefined) {
        return this.checkSchema({ $ref: `#/definitions/${concrete}` }, value, `${path}<${concrete}>`);
      }
    }
    const type = schema['type'] ?? (schema['properties'] !== undefined ? 'object' : undefined);
    const errors: string[] = [];
    switch (type) {
      case 'object': {
        if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected object, got ${JSON.stringify(value)}`];
        const obj = value as Record<string, unknown>;
        const props = schema['properties'] as Record<string, Schema> | undefined;
        const extra = schema['additionalProperties'] as Schema | undefined;
        for (const req of (schema['required'] as string[] | undefined) ?? []) {
          if (!(req in obj)) errors.push(`${path}: missing required ${req}`);
        }
        for (const [k, v] of Object.entries(obj)) {
          const prop = props?.[k];
          if (prop !== undefined) errors.push(...this.checkSchema(prop, v, `${path}.${k}`));
          else if (extra !== undefined) errors.push(...this.checkSchema(extra, v, `${path}.${k}`));
          else if (props !== undefined) errors.push(`${path}: unknown property ${k}`);
        }
        return errors;
      }
      case 'array': {
        if (!Array.isArray(value)) return [`${path}: expected array`];
        const items = schema['items'] as Schema | undefined;
        if (items !== undefined) value.forEach((v, idx) => errors.push(...this.checkSchema(items, v, `${path}[${idx}]`)));
        return errors;
      }
      case 'string': {
        if (typeof value !== 'string') return [`${path}: expected string, got ${JSON.stringify(value)}`];
        const allowed = schema['enum'] as Yaml[] | undefined;
        if (allowed !== undefined && !allowed.map(String).includes(value)) errors.push(`${path}: "${value}" not in enum`);
        const pattern = schema['pattern'];
        if (typeof pattern === 'string' && !new RegExp(pattern).test(value)) errors.push(`${path}: "${value}" does not match ${pattern}`);
        return errors;
      }
      case 'integer':
        return Number.isInteger(value) ? [] : [`${path}: expected integer`];
      case 'number':
        return typeof value === 'number' ? [] : [`${path}: expected number`];
      case 'boolean':
        return typeof value === 'boolean' ? [] : [`${path}: expected boolean`];
      default:
        return [];
    }
  }
}
