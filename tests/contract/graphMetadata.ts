/**
 * A contract checker over Microsoft Graph's own v1.0 metadata
 * (third_party/microsoft/graph/v1.0-Prod.csdl, see SOURCE.md there): does a request body
 * use only properties the target type has (inherited ones included), with
 * values of the declared type and enum members that exist? Does a bound action
 * exist on that type with those parameters? Do the fields an adapter reads exist?
 *
 * The CSDL is parsed once per test file (jest isolates modules per file) with
 * fast-xml-parser; ~3 MB parses in well under a second.
 */
import fs from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';

export interface Violation {
  path: string;
  message: string;
}

interface PropertyDef {
  name: string;
  type: string;
  nullable: boolean;
  navigation: boolean;
}

interface StructuredType {
  kind: 'entity' | 'complex';
  fullName: string;
  baseType?: string;
  abstract: boolean;
  open: boolean;
  properties: Map<string, PropertyDef>;
}

interface EnumTypeDef {
  fullName: string;
  flags: boolean;
  members: string[];
}

interface OperationDef {
  kind: 'action' | 'function';
  name: string;
  bindingType: string;
  parameters: { name: string; type: string; nullable: boolean }[];
}

export interface GraphModel {
  structured: Map<string, StructuredType>;
  enums: Map<string, EnumTypeDef>;
  operations: OperationDef[];
  aliases: Map<string, string>;
}

export const CSDL_PATH = process.env.GRAPH_CSDL ?? path.resolve(__dirname, '../../third_party/microsoft/graph/v1.0-Prod.csdl');
const DEFAULT_NAMESPACE = 'microsoft.graph';

let cached: GraphModel | undefined;

type Xml = Record<string, unknown>;
const list = (x: unknown): Xml[] => (Array.isArray(x) ? (x as Xml[]) : []);
const attr = (x: Xml, name: string): string | undefined => (typeof x[name] === 'string' ? (x[name] as string) : undefined);

export function loadGraphModel(file = CSDL_PATH): GraphModel {
  if (cached) return cached;
  const arrays = new Set(['Schema', 'EntityType', 'ComplexType', 'EnumType', 'Property', 'NavigationProperty', 'Member', 'Action', 'Function', 'Parameter']);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true, isArray: (name) => arrays.has(name) });
  const doc = parser.parse(fs.readFileSync(file, 'utf8')) as { Edmx?: { DataServices?: { Schema?: Xml[] } } };
  const schemas = list(doc.Edmx?.DataServices?.Schema);
  if (schemas.length === 0) throw new Error(`${file} has no CSDL schemas`);

  const aliases = new Map<string, string>();
  for (const s of schemas) if (attr(s, 'Alias')) aliases.set(attr(s, 'Alias')!, attr(s, 'Namespace')!);
  const model: GraphModel = { structured: new Map(), enums: new Map(), operations: [], aliases };
  const q = (name: string) => qualify(model, name);

  for (const s of schemas) {
    const ns = attr(s, 'Namespace')!;
    for (const [kind, key] of [['entity', 'EntityType'], ['complex', 'ComplexType']] as const) {
      for (const t of list(s[key])) {
        const properties = new Map<string, PropertyDef>();
        for (const p of list(t.Property)) properties.set(attr(p, 'Name')!, { name: attr(p, 'Name')!, type: typeRef(model, attr(p, 'Type')!), nullable: attr(p, 'Nullable') !== 'false', navigation: false });
        for (const p of list(t.NavigationProperty)) properties.set(attr(p, 'Name')!, { name: attr(p, 'Name')!, type: typeRef(model, attr(p, 'Type')!), nullable: attr(p, 'Nullable') !== 'false', navigation: true });
        const fullName = `${ns}.${attr(t, 'Name')}`;
        const base = attr(t, 'BaseType');
        model.structured.set(fullName, { kind, fullName, ...(base ? { baseType: q(base) } : {}), abstract: attr(t, 'Abstract') === 'true', open: attr(t, 'OpenType') === 'true', properties });
      }
    }
    for (const e of list(s.EnumType)) {
      const fullName = `${ns}.${attr(e, 'Name')}`;
      model.enums.set(fullName, { fullName, flags: attr(e, 'IsFlags') === 'true', members: list(e.Member).map((m) => attr(m, 'Name')!) });
    }
    for (const [kind, key] of [['action', 'Action'], ['function', 'Function']] as const) {
      for (const op of list(s[key])) {
        if (attr(op, 'IsBound') !== 'true') continue;
        const [binding, ...parameters] = list(op.Parameter);
        if (!binding) continue;
        model.operations.push({
          kind,
          name: attr(op, 'Name')!,
          bindingType: typeRef(model, attr(binding, 'Type')!),
          parameters: parameters.map((p) => ({ name: attr(p, 'Name')!, type: typeRef(model, attr(p, 'Type')!), nullable: attr(p, 'Nullable') !== 'false' })),
        });
      }
    }
  }
  cached = model;
  return model;
}

/** "graph.event", "#microsoft.graph.event", "event" → "microsoft.graph.event". */
function qualify(model: Pick<GraphModel, 'aliases'>, name: string): string {
  const bare = name.replace(/^#/, '');
  if (!bare.includes('.')) return `${DEFAULT_NAMESPACE}.${bare}`;
  const [first, ...rest] = bare.split('.');
  const ns = model.aliases.get(first!);
  return ns ? `${ns}.${rest.join('.')}` : bare;
}

function typeRef(model: Pick<GraphModel, 'aliases'>, type: string): string {
  const coll = /^Collection\((.+)\)$/.exec(type);
  if (coll) return `Collection(${typeRef(model, coll[1]!)})`;
  return type.startsWith('Edm.') ? type : qualify(model, type);
}

function chain(model: GraphModel, fullName: string): StructuredType[] {
  const out: StructuredType[] = [];
  for (let t = model.structured.get(fullName); t; t = t.baseType ? model.structured.get(t.baseType) : undefined) out.push(t);
  return out;
}

function findProperty(model: GraphModel, fullName: string, name: string): PropertyDef | undefined {
  for (const t of chain(model, fullName)) {
    const p = t.properties.get(name);
    if (p) return p;
  }
  return undefined;
}

function allPropertyNames(model: GraphModel, fullName: string): string[] {
  return chain(model, fullName).flatMap((t) => [...t.properties.keys()]);
}

function isSameOrDerived(model: GraphModel, actual: string, declared: string): boolean {
  return chain(model, actual).some((t) => t.fullName === declared);
}

function resolveType(model: GraphModel, typeName: string): string {
  const full = qualify(model, typeName);
  if (!model.structured.has(full) && !model.enums.has(full)) throw new Error(`no type ${full} in the Graph metadata`);
  return full;
}

function suggestion(candidates: string[], name: string): string {
  const lower = name.toLowerCase();
  const close = candidates.filter((c) => c.toLowerCase() === lower || levenshtein(c.toLowerCase(), lower) <= 2);
  return close.length > 0 ? ` (did you mean ${close.map((c) => `'${c}'`).join(' or ')}?)` : '';
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = current;
    }
  }
  return row[b.length]!;
}

const INT_RANGES: Record<string, [number, number]> = {
  'Edm.Byte': [0, 255],
  'Edm.SByte': [-128, 127],
  'Edm.Int16': [-32768, 32767],
  'Edm.Int32': [-2147483648, 2147483647],
  'Edm.Int64': [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

function checkPrimitive(type: string, value: unknown, at: string, out: Violation[]): void {
  const fail = (what: string) => out.push({ path: at, message: `expected ${type} (${what}), got ${JSON.stringify(value)}` });
  const str = typeof value === 'string' ? value : undefined;
  switch (type) {
    case 'Edm.String':
    case 'Edm.Stream':
      if (str === undefined) fail('a string');
      return;
    case 'Edm.Boolean':
      if (typeof value !== 'boolean') fail('true or false');
      return;
    case 'Edm.Double':
    case 'Edm.Single':
    case 'Edm.Decimal':
      if (typeof value !== 'number') fail('a number');
      return;
    case 'Edm.DateTimeOffset':
      if (str === undefined || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/.test(str) || Number.isNaN(Date.parse(str))) fail('ISO 8601 date and time with Z or an offset');
      return;
    case 'Edm.Date':
      if (str === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(str) || Number.isNaN(Date.parse(`${str}T00:00:00Z`))) fail('YYYY-MM-DD');
      return;
    case 'Edm.TimeOfDay':
      if (str === undefined || !/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,12})?)?$/.test(str)) fail('hh:mm:ss[.fffffff]');
      return;
    case 'Edm.Guid':
      if (str === undefined || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(str)) fail('a GUID');
      return;
    case 'Edm.Duration':
      if (str === undefined || !/^-?P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(str)) fail('an ISO 8601 duration');
      return;
    case 'Edm.Binary':
      if (str === undefined || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(str)) fail('base64');
      return;
  }
  const range = INT_RANGES[type];
  if (range) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < range[0] || value > range[1]) fail(`an integer from ${range[0]} to ${range[1]}`);
    return;
  }
  out.push({ path: at, message: `the checker does not know ${type}` });
}

function checkValue(model: GraphModel, type: string, value: unknown, nullable: boolean, at: string, out: Violation[]): void {
  if (value === null) {
    if (!nullable) out.push({ path: at, message: `null where ${type} is Nullable="false"` });
    return;
  }
  const coll = /^Collection\((.+)\)$/.exec(type);
  if (coll) {
    if (!Array.isArray(value)) out.push({ path: at, message: `expected an array (${type}), got ${JSON.stringify(value)}` });
    else value.forEach((item, i) => checkValue(model, coll[1]!, item, false, `${at}[${i}]`, out));
    return;
  }
  if (type.startsWith('Edm.')) return checkPrimitive(type, value, at, out);
  const enumType = model.enums.get(type);
  if (enumType) {
    const names = typeof value === 'string' ? (enumType.flags ? value.split(',').map((v) => v.trim()) : [value]) : [];
    const bad = typeof value !== 'string' ? [JSON.stringify(value)] : names.filter((n) => !enumType.members.includes(n));
    if (bad.length > 0) out.push({ path: at, message: `${bad.map((b) => `"${b}"`).join(', ')} is not a member of ${type} (${enumType.members.join(', ')})${suggestion(enumType.members, bad[0]!)}` });
    return;
  }
  if (model.structured.has(type)) {
    if (typeof value !== 'object' || Array.isArray(value)) out.push({ path: at, message: `expected an object (${type}), got ${JSON.stringify(value)}` });
    else checkStructured(model, type, value as Record<string, unknown>, at, out);
    return;
  }
  out.push({ path: at, message: `unknown type ${type}` });
}

function checkStructured(model: GraphModel, declared: string, body: Record<string, unknown>, at: string, out: Violation[]): void {
  let type = declared;
  const odataType = body['@odata.type'];
  if (odataType !== undefined) {
    const actual = typeof odataType === 'string' ? qualify(model, odataType) : '';
    if (!model.structured.has(actual)) out.push({ path: join(at, '@odata.type'), message: `${JSON.stringify(odataType)} is not a type in the Graph metadata` });
    else if (!isSameOrDerived(model, actual, declared)) out.push({ path: join(at, '@odata.type'), message: `${actual} is not ${declared} or derived from it` });
    else type = actual;
  }
  for (const [key, value] of Object.entries(body)) {
    // Instance annotations ("@odata.etag", "x@odata.nextLink") are not properties.
    if (key.includes('@')) continue;
    const prop = findProperty(model, type, key);
    if (!prop) {
      out.push({ path: join(at, key), message: `no property '${key}' on ${type} or its base types${suggestion(allPropertyNames(model, type), key)}` });
      continue;
    }
    checkValue(model, prop.type, value, prop.nullable, join(at, key), out);
  }
}

function join(at: string, key: string): string {
  return at ? `${at}.${key}` : key;
}

/** Violations of `body` against the entity or complex type `typeName` ("event", "microsoft.graph.patternedRecurrence"). */
export function checkBody(typeName: string, body: unknown): Violation[] {
  const model = loadGraphModel();
  const type = resolveType(model, typeName);
  const out: Violation[] = [];
  checkValue(model, type, body, false, '', out);
  return out;
}

/** The types an action or function of this name is bound to. */
export function boundTo(name: string, kind: 'action' | 'function' = 'action'): string[] {
  return loadGraphModel()
    .operations.filter((o) => o.kind === kind && o.name === name)
    .map((o) => o.bindingType);
}

function findOperation(model: GraphModel, kind: 'action' | 'function', bindingType: string, name: string): OperationDef | undefined {
  const coll = /^Collection\((.+)\)$/.exec(bindingType);
  const target = coll ? `Collection(${qualify(model, coll[1]!)})` : qualify(model, bindingType);
  return model.operations.find((o) => {
    if (o.kind !== kind || o.name !== name) return false;
    const oc = /^Collection\((.+)\)$/.exec(o.bindingType);
    const tc = /^Collection\((.+)\)$/.exec(target);
    if (!!oc !== !!tc) return false;
    // An operation bound to a base type applies to derived types too.
    return isSameOrDerived(model, tc ? tc[1]! : target, oc ? oc[1]! : o.bindingType);
  });
}

/**
 * Violations of an action call: the action must be bound to `bindingType` (or a
 * base type), and the body must carry only its parameters, with values of their
 * types. Parameter names match without regard to case: the CSDL spells them
 * "Schedules"/"Comment" while the reference pages' parameter tables say
 * "schedules"/"comment", and Graph's own examples use both
 * (api/calendar-getschedule.md vs concepts/outlook-get-free-busy-schedule.md;
 * api/event-cancel.md table vs example).
 */
export function checkAction(bindingType: string, actionName: string, body: unknown): Violation[] {
  const model = loadGraphModel();
  const op = findOperation(model, 'action', bindingType, actionName);
  if (!op) {
    const where = boundTo(actionName);
    return [{ path: '', message: `no action ${actionName} bound to ${qualify(model, bindingType)}; it is bound to ${where.length > 0 ? where.join(', ') : 'nothing'}` }];
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [{ path: '', message: `an action body is a JSON object, got ${JSON.stringify(body)}` }];
  const out: Violation[] = [];
  const given = body as Record<string, unknown>;
  for (const [key, value] of Object.entries(given)) {
    const param = op.parameters.find((p) => p.name === key) ?? op.parameters.find((p) => p.name.toLowerCase() === key.toLowerCase());
    if (!param) {
      out.push({ path: key, message: `${actionName} has no parameter '${key}'${suggestion(op.parameters.map((p) => p.name), key)} (parameters: ${op.parameters.map((p) => p.name).join(', ')})` });
      continue;
    }
    checkValue(model, param.type, value, param.nullable, key, out);
  }
  for (const p of op.parameters) {
    if (!p.nullable && !Object.keys(given).some((k) => k.toLowerCase() === p.name.toLowerCase())) out.push({ path: p.name, message: `${actionName} requires '${p.name}'` });
  }
  return out;
}

/** Whether a bound function (delta, ...) exists on the binding type. */
export function hasFunction(bindingType: string, name: string): boolean {
  const model = loadGraphModel();
  return findOperation(model, 'function', bindingType, name) !== undefined;
}

/**
 * Violations for fields an adapter reads ("onlineMeeting.joinUrl",
 * "attendees.emailAddress.address"): each segment must be a property of the
 * type reached so far. Collections are stepped through; segments from an '@'
 * on are annotations and not checked.
 */
export function checkResponseFields(typeName: string, fieldPaths: string[]): Violation[] {
  const model = loadGraphModel();
  const root = resolveType(model, typeName);
  const out: Violation[] = [];
  for (const fieldPath of fieldPaths) {
    let type = root;
    const segments = fieldPath.split('.');
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      if (segment.startsWith('@')) break;
      if (type.startsWith('Edm.') || model.enums.has(type)) {
        out.push({ path: fieldPath, message: `${segments.slice(0, i).join('.')} is ${type} and has no '${segment}'` });
        break;
      }
      const prop = findProperty(model, type, segment);
      if (!prop) {
        out.push({ path: fieldPath, message: `no property '${segment}' on ${type} or its base types${suggestion(allPropertyNames(model, type), segment)}` });
        break;
      }
      type = prop.type.replace(/^Collection\((.+)\)$/, '$1');
    }
  }
  return out;
}
