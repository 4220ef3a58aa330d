import {
  BUILTINS_USED_IN_CLASSES,
  FRAMEWORK_ATTRIBUTES,
  PYTHON_BUILTINS,
  PYTHON_KEYWORDS,
  SQL_RESERVED_WORDS,
  humanize,
  pluralize,
  snakeCase,
} from '../python-names.ts';

/**
 * `generate resource <Name> --fields ...`: what the user asked for, parsed and
 * checked without touching the disk. Every problem is collected, so one run
 * lists them all instead of failing on the first.
 */

export const FIELD_TYPES = ['str', 'text', 'int', 'float', 'decimal', 'bool', 'date', 'datetime', 'enum', 'ref'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface FieldSpec {
  /** The name as given: `customer`. */
  readonly name: string;
  /** The column and API name: the name, or `<name>_id` for a reference. */
  readonly column: string;
  readonly type: FieldType;
  /** Nullable column, may be left out of a create, `null` clears it. */
  readonly optional: boolean;
  /** A unique constraint on the column. */
  readonly unique: boolean;
  /** `str(N)`: the column's VARCHAR length. */
  readonly maxLength?: number;
  /** `decimal(P,S)`: total digits and digits after the point. */
  readonly precision?: number;
  readonly scale?: number;
  /** `enum(a|b|c)`: the allowed values, in order; the first is the default. */
  readonly choices?: readonly string[];
  /** `ref(Model)`: the model class the foreign key points at. */
  readonly target?: string;
}

/** The names every generated file uses, derived once from the class name. */
export interface ResourceNames {
  /** `InvoiceLine`: the model class. */
  readonly className: string;
  /** `invoice_line`: variables, the enum name prefix. */
  readonly singular: string;
  /** `invoice_lines`: the module folder, the table, the test folder. */
  readonly plural: string;
  /** `/invoice-lines`: the router's prefix under /api/v1. */
  readonly route: string;
  /** "invoice line" / "invoice lines": prose. */
  readonly human: string;
  readonly humanPlural: string;
}

export interface ResourceSpec {
  readonly names: ResourceNames;
  readonly fields: readonly FieldSpec[];
}

export const DEFAULT_STR_LENGTH = 200;
export const TEXT_MAX_LENGTH = 10_000;
export const DEFAULT_DECIMAL = { precision: 12, scale: 2 } as const;

/**
 * Short enough that every generated line fits the projects' 100 columns with
 * the longest project name (40) and that every constraint name fits
 * PostgreSQL's 63-character identifiers in ordinary cases (longer ones are
 * checked one by one).
 */
export const MAX_CLASS_NAME_LENGTH = 20;
export const MAX_SINGULAR_LENGTH = 24;
export const MAX_PLURAL_LENGTH = 26;
export const MAX_FIELD_NAME_LENGTH = 20;
export const MAX_FIELDS = 30;
export const MAX_CHOICES = 30;
export const POSTGRES_IDENTIFIER_LENGTH = 63;

/** Columns every resource gets from the base classes. */
const BASE_COLUMNS = new Set(['id', 'created_at', 'updated_at']);
/** Query parameters every list endpoint has (`PageParams`, `q`, `sort`). */
const LIST_PARAMETERS = new Set(['page', 'page_size', 'q', 'sort']);
/** Suffixes of the classes generated next to the model: a field named `read` would make `InvoiceRead` twice. */
const CLASS_SUFFIXES = ['Create', 'Update', 'Read', 'Sort', 'ListParams', 'Repository', 'Service', 'ServiceDep', 'Id'];
/** Names the generated modules import or define at module level; a generated class must not take one. */
export const NAMES_IN_GENERATED_MODULES: ReadonlySet<string> = new Set([
  'APIRouter', 'Annotated', 'Any', 'AwareDatetime', 'Base', 'BaseModel', 'Boolean', 'ConfigDict',
  'ConflictError', 'Date', 'DateTime', 'Decimal', 'Depends', 'Engine', 'Enum', 'Field', 'FiniteFloat',
  'Float', 'ForeignKey', 'Integer', 'Mapped', 'NotFoundError', 'Numeric', 'Page', 'PageParams', 'Path',
  'Query', 'Request', 'Response', 'SearchText', 'Select', 'Sequence', 'Session', 'SessionDep',
  'StrEnum', 'String', 'StringConstraints', 'TestClient', 'Text', 'TimestampMixin', 'UnaryExpression',
  'UtcDateTime', 'ReferenceId', 'Int32', 'UtcTimestamp', 'AfterValidator', 'FiniteFloat',
]);

const CLASS_NAME = /^[A-Z][A-Za-z0-9]*$/;
const FIELD_NAME = /^[a-z][a-z0-9_]*$/;
const CHOICE = /^[a-z][a-z0-9_]*$/;

export interface Parsed<T> {
  readonly value?: T;
  readonly problems: readonly string[];
}

/** Splits `a:str,b:decimal(10,2)` on the commas that are not inside parentheses. */
export function splitFieldList(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth += 1;
    if (char === ')') depth = Math.max(0, depth - 1);
    if (char === ',' && depth === 0) {
      items.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  items.push(current);
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

function fieldNameProblem(name: string, maxLength = MAX_FIELD_NAME_LENGTH): string | undefined {
  if (!FIELD_NAME.test(name)) return 'use lowercase letters, digits and underscores, starting with a letter (snake_case)';
  if (name.length > maxLength) return `at most ${maxLength} characters`;
  if (name.includes('__') || name.endsWith('_')) return 'no double or trailing underscores';
  if (PYTHON_KEYWORDS.has(name)) return 'it is a Python keyword';
  if (BASE_COLUMNS.has(name)) return 'every resource already has it (id, created_at, updated_at)';
  if (LIST_PARAMETERS.has(name)) return 'the list endpoint already uses it as a query parameter (page, page_size, q, sort)';
  if (SQL_RESERVED_WORDS.has(name)) return 'it is a reserved word in SQL';
  if (BUILTINS_USED_IN_CLASSES.has(name)) return 'it would shadow a Python builtin the generated classes use';
  if (FRAMEWORK_ATTRIBUTES.has(name) || name.startsWith('model_')) {
    return 'pydantic or SQLAlchemy already use this attribute name on models';
  }
  return undefined;
}

function parseLength(argument: string | undefined, where: string, problems: string[]): number | undefined {
  if (argument === undefined) return DEFAULT_STR_LENGTH;
  if (!/^\d+$/.test(argument)) {
    problems.push(`${where}: str(N) takes a length, e.g. str(80)`);
    return undefined;
  }
  const length = Number(argument);
  if (length < 4 || length > 1000) {
    problems.push(`${where}: a str length must be between 4 and 1000 (use text for longer text)`);
    return undefined;
  }
  return length;
}

function parseDecimal(argument: string | undefined, where: string, problems: string[]): { precision: number; scale: number } | undefined {
  if (argument === undefined) return DEFAULT_DECIMAL;
  const match = /^\s*(\d+)\s*(?:,\s*(\d+)\s*)?$/.exec(argument);
  if (!match) {
    problems.push(`${where}: decimal(P,S) takes the total digits and the digits after the point, e.g. decimal(10,2)`);
    return undefined;
  }
  const precision = Number(match[1]);
  const scale = Number(match[2] ?? '0');
  if (precision < 3 || precision > 38 || scale > precision) {
    problems.push(`${where}: decimal(P,S) needs 3 <= P <= 38 and S <= P`);
    return undefined;
  }
  return { precision, scale };
}

function parseChoices(argument: string | undefined, where: string, problems: string[]): string[] | undefined {
  if (argument === undefined) {
    problems.push(`${where}: enum needs its values, e.g. enum(draft|sent|paid)`);
    return undefined;
  }
  const choices = argument.split('|').map((choice) => choice.trim());
  const bad = choices.filter((choice) => !CHOICE.test(choice) || choice.length > 40);
  if (bad.length > 0) {
    problems.push(`${where}: enum values must be snake_case words of at most 40 characters; not: ${bad.map((c) => JSON.stringify(c)).join(', ')}`);
    return undefined;
  }
  if (new Set(choices).size !== choices.length) {
    problems.push(`${where}: enum values must be different from each other`);
    return undefined;
  }
  if (choices.length < 2 || choices.length > MAX_CHOICES) {
    problems.push(`${where}: an enum needs between 2 and ${MAX_CHOICES} values`);
    return undefined;
  }
  return choices;
}

/** One `name:type(args):modifier...` item. */
function parseField(item: string, problems: string[]): FieldSpec | undefined {
  const colon = item.indexOf(':');
  if (colon < 0) {
    problems.push(`"${item}": expected name:type, e.g. total:decimal`);
    return undefined;
  }
  const name = item.slice(0, colon).trim();
  const rest = item.slice(colon + 1);
  // The type's arguments may contain ':'? No: only digits, commas, |, and a class name.
  const parts = rest.split(':').map((part) => part.trim());
  const typeText = parts[0] ?? '';
  const modifiers = parts.slice(1);
  const where = `field "${name}"`;
  const before = problems.length;

  const nameProblem = fieldNameProblem(name);
  if (nameProblem) problems.push(`${where}: ${nameProblem}`);

  const typeMatch = /^([a-z]+)\s*(?:\((.*)\))?$/.exec(typeText);
  const typeName = typeMatch?.[1];
  if (!typeMatch || !(FIELD_TYPES as readonly string[]).includes(typeName ?? '')) {
    problems.push(`${where}: unknown type "${typeText}"; valid types: ${FIELD_TYPES.filter((t) => t !== 'ref' && t !== 'enum').join(', ')}, enum(a|b|...), ref(Model)`);
    return undefined;
  }
  const type = typeName as FieldType;
  const argument = typeMatch[2];
  if (argument !== undefined && !['str', 'decimal', 'enum', 'ref'].includes(type)) {
    problems.push(`${where}: ${type} takes no arguments`);
  }

  let optional = false;
  let unique = false;
  for (const modifier of modifiers) {
    if (modifier === 'optional' && !optional) optional = true;
    else if (modifier === 'unique' && !unique) unique = true;
    else problems.push(`${where}: unknown or repeated modifier "${modifier}"; valid modifiers: optional, unique`);
  }
  if (unique && ['text', 'bool', 'enum', 'float'].includes(type)) {
    problems.push(`${where}: ${type} cannot be unique (only str, int, decimal, date, datetime and ref can)`);
  }

  let extra: Partial<FieldSpec> = {};
  if (type === 'str') {
    const maxLength = parseLength(argument, where, problems);
    if (maxLength !== undefined) extra = { maxLength };
  } else if (type === 'decimal') {
    const digits = parseDecimal(argument, where, problems);
    if (digits) extra = digits;
  } else if (type === 'enum') {
    const choices = parseChoices(argument, where, problems);
    if (choices) extra = { choices };
  } else if (type === 'ref') {
    const target = argument?.trim();
    if (!target || !CLASS_NAME.test(target)) {
      problems.push(`${where}: ref needs the model class it points at, e.g. ref(Customer)`);
    } else {
      extra = { target };
    }
  }
  if (problems.length > before) return undefined;
  const column = type === 'ref' && !name.endsWith('_id') ? `${name}_id` : name;
  return { name, column, type, optional, unique, ...extra };
}

/**
 * Parses `--fields`. Decided syntax (docs/DECISIONS.md): `name:type`, types
 * `str` / `str(N)`, `text`, `int`, `float`, `decimal` / `decimal(P,S)`, `bool`,
 * `date`, `datetime`, `enum(a|b|c)`, `ref(Model)`; modifiers `:optional` and
 * `:unique` after the type, in any order.
 */
export function parseFields(text: string): Parsed<FieldSpec[]> {
  const problems: string[] = [];
  const items = splitFieldList(text);
  if (items.length === 0) return { problems: ['--fields is empty: give at least one name:type, e.g. --fields title:str,done:bool'] };
  if (items.length > MAX_FIELDS) problems.push(`at most ${MAX_FIELDS} fields per resource`);
  const fields: FieldSpec[] = [];
  for (const item of items) {
    const field = parseField(item, problems);
    if (field) fields.push(field);
  }
  const seen = new Map<string, string>();
  for (const field of fields) {
    for (const name of new Set([field.name, field.column])) {
      const other = seen.get(name);
      if (other !== undefined) problems.push(`field "${field.name}": "${name}" is also used by field "${other}"`);
      else seen.set(name, field.name);
    }
  }
  for (const field of fields) {
    const columnProblem = field.column === field.name ? undefined : fieldNameProblem(field.column, MAX_FIELD_NAME_LENGTH + 3);
    if (columnProblem) problems.push(`field "${field.name}": its column ${field.column} cannot be used: ${columnProblem}`);
  }
  return problems.length > 0 ? { problems } : { value: fields, problems };
}

/** Why `name` cannot be a resource class name, or undefined. */
function classNameProblem(name: string): string | undefined {
  if (!CLASS_NAME.test(name)) return 'a resource name is a Python class name in PascalCase (letters and digits, starting with a capital), e.g. Invoice or InvoiceLine';
  if (name.length > MAX_CLASS_NAME_LENGTH) return `at most ${MAX_CLASS_NAME_LENGTH} characters`;
  if (PYTHON_KEYWORDS.has(name)) return 'it is a Python keyword';
  if (PYTHON_BUILTINS.has(name)) return 'it would shadow a Python builtin';
  if (NAMES_IN_GENERATED_MODULES.has(name)) return 'the generated modules already import or define a name like it';
  return undefined;
}

function snakeNameProblem(name: string, what: string): string | undefined {
  if (PYTHON_KEYWORDS.has(name)) return `its ${what} "${name}" is a Python keyword`;
  if (PYTHON_BUILTINS.has(name)) return `its ${what} "${name}" would shadow a Python builtin`;
  if (SQL_RESERVED_WORDS.has(name)) return `its ${what} "${name}" is a reserved word in SQL`;
  return undefined;
}

/** The resource's names from its class name and an optional `--plural`. */
export function parseResourceNames(className: string, pluralOverride?: string): Parsed<ResourceNames> {
  const problems: string[] = [];
  const classProblem = classNameProblem(className);
  if (classProblem) return { problems: [`"${className}" cannot be a resource name: ${classProblem}.`] };
  const singular = snakeCase(className);
  const plural = pluralOverride ?? pluralize(singular);
  if (pluralOverride !== undefined && !FIELD_NAME.test(pluralOverride)) {
    problems.push(`--plural "${pluralOverride}": use snake_case (lowercase letters, digits, underscores), e.g. people`);
  }
  if (singular.length > MAX_SINGULAR_LENGTH) problems.push(`"${className}" is too long: its snake_case form ${singular} must be at most ${MAX_SINGULAR_LENGTH} characters.`);
  if (plural.length > MAX_PLURAL_LENGTH) problems.push(`the plural ${plural} must be at most ${MAX_PLURAL_LENGTH} characters.`);
  if (plural === singular) problems.push(`"${className}" has the same singular and plural (${plural}); pass --plural with another word.`);
  for (const [value, what] of [[singular, 'snake_case name'], [plural, 'plural']] as const) {
    const problem = snakeNameProblem(value, what);
    if (problem) problems.push(`"${className}" cannot be a resource name: ${problem}${what === 'plural' ? ' (pass --plural)' : ''}.`);
  }
  if (problems.length > 0) return { problems };
  return {
    value: {
      className,
      singular,
      plural,
      route: `/${plural.replaceAll('_', '-')}`,
      human: humanize(singular),
      humanPlural: humanize(plural),
    },
    problems,
  };
}

/** The `StrEnum` class of an enum field: `Invoice` + `status` → `InvoiceStatus`. */
export function enumClassName(names: ResourceNames, field: FieldSpec): string {
  return `${names.className}${field.name
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')}`;
}

/**
 * Problems that need both the names and the fields: generated class names
 * that collide, and constraint names longer than PostgreSQL keeps.
 */
export function crossCheck(
  names: ResourceNames,
  fields: readonly FieldSpec[],
  existingModels: ReadonlySet<string>,
  tableOf: (model: string) => string | undefined,
): string[] {
  const problems: string[] = [];
  const classes = new Map<string, string>();
  for (const suffix of ['', ...CLASS_SUFFIXES]) classes.set(`${names.className}${suffix}`, 'a generated class');
  for (const model of existingModels) if (!classes.has(model)) classes.set(model, `the existing model ${model}`);
  for (const field of fields) {
    const aliasName = enumClassName(names, field);
    const taken = classes.get(aliasName);
    if (taken !== undefined) problems.push(`field "${field.name}": its generated name ${aliasName} collides with ${taken}; rename the field.`);
    else if (NAMES_IN_GENERATED_MODULES.has(aliasName)) problems.push(`field "${field.name}": its generated name ${aliasName} collides with an imported name; rename the field.`);
    else classes.set(aliasName, `the type of field "${field.name}"`);
  }
  const sortMembers = new Map<string, string>();
  for (const field of fields) {
    for (const member of [field.column.toUpperCase(), `${field.column.toUpperCase()}_DESC`]) {
      const other = sortMembers.get(member);
      if (other !== undefined) problems.push(`fields "${other}" and "${field.name}" would give the same sort option ${member}; rename one.`);
      sortMembers.set(member, field.name);
    }
  }
  const identifiers: string[] = [`pk_${names.plural}`];
  for (const field of fields) {
    if (field.unique) identifiers.push(`uq_${names.plural}_${field.column}`);
    if (field.type === 'ref' && !field.unique) identifiers.push(`ix_${names.plural}_${field.column}`);
    if (field.type === 'ref' && field.target) identifiers.push(`fk_${names.plural}_${field.column}_${tableOf(field.target) ?? ''}`);
    if (field.type === 'enum') identifiers.push(`ck_${names.plural}_${names.singular}_${field.name}`);
  }
  for (const identifier of identifiers) {
    if (identifier.length > POSTGRES_IDENTIFIER_LENGTH) {
      problems.push(`the constraint name ${identifier} would be longer than PostgreSQL's ${POSTGRES_IDENTIFIER_LENGTH} characters; shorten the resource or field name.`);
    }
  }
  return problems;
}

/** A field back in `--fields` syntax (the manifest records resources this way). */
export function formatField(field: FieldSpec): string {
  let type: string = field.type;
  if (field.type === 'str' && field.maxLength !== DEFAULT_STR_LENGTH) type = `str(${field.maxLength})`;
  if (field.type === 'decimal' && (field.precision !== DEFAULT_DECIMAL.precision || field.scale !== DEFAULT_DECIMAL.scale)) {
    type = `decimal(${field.precision},${field.scale})`;
  }
  if (field.type === 'enum') type = `enum(${field.choices!.join('|')})`;
  if (field.type === 'ref') type = `ref(${field.target})`;
  return [field.name, type, ...(field.optional ? ['optional'] : []), ...(field.unique ? ['unique'] : [])].join(':');
}

export function formatFields(fields: readonly FieldSpec[]): string {
  return fields.map(formatField).join(',');
}
