import {
  call,
  dict,
  flat,
  format,
  importBlock,
  layout,
  list,
  pyString,
  subscript,
  LINE_LENGTH,
  type Code,
  type ImportStatement,
} from '../python-format.ts';
import type { ReferenceableModel } from '../../catalog/features/index.ts';
import { capitalize, humanize, snakeCase } from '../python-names.ts';
import { buildDjangoContext } from './django.ts';
import { DEFAULT_DECIMAL, TEXT_MAX_LENGTH, enumClassName, type FieldSpec, type ResourceNames, type ResourceSpec } from './spec.ts';

/**
 * Everything the `generate resource` templates (templates/generators/resource/)
 * print, computed here so the templates compute nothing (ARCHITECTURE.md): the
 * Python statements whose length depends on the names are laid out by
 * python-format.ts, so the files come out already formatted for ruff.
 */

/**
 * A model a new resource may point a foreign key at (a feature's
 * ReferenceableModel, or a resource generated before), resolved: the parents
 * of its create path always given, and the fields its create requires parsed.
 */
export type ReferenceTarget = Omit<ReferenceableModel, 'create'> & {
  readonly create: {
    /** Under /api/v1, with `{x_id}` placeholders filled from `parents`. */
    readonly path: string;
    /** Path placeholder → the model whose new row's id fills it. */
    readonly parents: Readonly<Record<string, string>>;
    /** The body a test sends: only fields a create requires are filled in. */
    readonly fields: readonly FieldSpec[];
  };
};

/**
 * The frameworks `generate resource` writes for: FastAPI and Flask share the SQLAlchemy layers
 * and differ by their router; Django gets a Django app (resource/django.ts). All share the HTTP tests.
 */
export const RESOURCE_FRAMEWORKS = ['fastapi', 'flask', 'django'] as const;
export type ResourceFramework = (typeof RESOURCE_FRAMEWORKS)[number];

const SORTABLE = new Set(['str', 'int', 'float', 'decimal', 'date', 'datetime']);
const FILTERABLE = new Set(['bool', 'enum', 'ref']);

function upper(snake: string): string {
  return snake.toUpperCase();
}

function maxLengthConstant(names: ResourceNames, field: FieldSpec): string {
  return `${upper(names.singular)}_${upper(field.name)}_MAX_LENGTH`;
}

function enumMember(choice: string): string {
  return upper(choice);
}

/** Has a value when a create leaves it out: nullable, or a type with a natural default. */
export function hasDefault(field: FieldSpec): boolean {
  return field.optional || field.type === 'text' || field.type === 'bool' || field.type === 'enum';
}

/** `x: T = value`, one line when it fits, else with the value in parentheses as ruff writes it. */
function assignment(indent: string, target: string, value: string): string {
  const line = `${indent}${target} = ${value}`;
  if (line.length <= LINE_LENGTH) return line;
  return `${indent}${target} = (\n${indent}    ${value}\n${indent})`;
}

/** The Python type of the value as stored and read back. */
function readType(names: ResourceNames, field: FieldSpec): string {
  const base = {
    str: 'str',
    text: 'str',
    int: 'int',
    float: 'float',
    decimal: 'Decimal',
    bool: 'bool',
    date: 'date',
    datetime: 'datetime',
    enum: enumClassName(names, field),
    ref: 'int',
  }[field.type];
  return field.optional ? `${base} | None` : base;
}

/** The type a create or update accepts: the read type plus validation. */
function inputType(names: ResourceNames, field: FieldSpec): string {
  switch (field.type) {
    case 'str':
    case 'text':
    case 'decimal':
      return enumClassName(names, field);
    case 'int':
      return 'Int32';
    case 'float':
      return 'StrictFiniteFloat';
    case 'bool':
      return 'StrictBool';
    case 'date':
      return 'IsoDate';
    case 'datetime':
      return 'UtcTimestamp';
    case 'ref':
      return 'ReferenceId';
    case 'enum':
      return enumClassName(names, field);
    default:
      return field.type;
  }
}

function createDefault(names: ResourceNames, field: FieldSpec): string | undefined {
  if (field.optional) return 'None';
  if (field.type === 'text') return '""';
  if (field.type === 'bool') return 'False';
  if (field.type === 'enum') return `${enumClassName(names, field)}.${enumMember(field.choices![0]!)}`;
  return undefined;
}

function refOnDelete(field: FieldSpec): 'CASCADE' | 'SET NULL' {
  return field.optional ? 'SET NULL' : 'CASCADE';
}

// ---------------------------------------------------------------- models.py

function modelColumn(names: ResourceNames, field: FieldSpec, targets: ReadonlyMap<string, ReferenceTarget>): string {
  const indent = '    ';
  const target = `${field.column}: Mapped[${readType(names, field)}]`;
  const comments: string[] = [];
  const args: Code[] = [];
  switch (field.type) {
    case 'str':
      args.push(`String(${maxLengthConstant(names, field)})`);
      break;
    case 'text':
      args.push('Text');
      if (!field.optional) args.push('default=""');
      break;
    case 'int':
      args.push('Integer');
      break;
    case 'float':
      args.push('Float');
      break;
    case 'decimal':
      // Decimal, not float: money and quantities must add up exactly.
      args.push(`Numeric(${field.precision}, ${field.scale})`);
      break;
    case 'bool':
      args.push('Boolean');
      if (!field.optional) args.push('default=False');
      break;
    case 'date':
      args.push('Date');
      break;
    case 'datetime':
      args.push('UtcDateTime');
      break;
    case 'enum': {
      const enumClass = enumClassName(names, field);
      const longest = Math.max(20, ...field.choices!.map((choice) => choice.length));
      args.push(
        call('Enum', [
          enumClass,
          `name=${pyString(`${names.singular}_${field.name}`)}`,
          'native_enum=False',
          'create_constraint=True',
          `length=${longest}`,
          'values_callable=lambda values: [value.value for value in values]',
          'validate_strings=True',
        ]),
      );
      if (!field.optional) args.push(`default=${enumClass}.${enumMember(field.choices![0]!)}`);
      break;
    }
    case 'ref': {
      const table = targets.get(field.target!)?.table ?? '';
      const onDelete = refOnDelete(field);
      comments.push(
        onDelete === 'CASCADE'
          ? `# ON DELETE CASCADE: deleting the ${humanize(snakeCase(field.target!))} deletes these rows too.`
          : `# ON DELETE SET NULL: deleting the ${humanize(snakeCase(field.target!))} keeps these rows.`,
      );
      args.push(call('ForeignKey', [pyString(`${table}.id`), `ondelete=${pyString(onDelete)}`]));
      // A foreign key is not indexed by itself; joins and the `?${field.column}=` filter need one.
      // A unique column already has the unique constraint's index.
      if (!field.unique) args.push('index=True');
      break;
    }
  }
  if (field.unique) {
    comments.push('# Unique: the database refuses a duplicate, even from two requests racing.');
    args.push('unique=True');
  }
  // An Enum(...) column spells out its arguments one per line, like the tasks model's status.
  const statement =
    field.type === 'enum'
      ? [
          `${indent}${target} = mapped_column(`,
          ...args.flatMap((arg) =>
            typeof arg === 'string'
              ? [`${indent}    ${arg},`]
              : [`${indent}    ${arg.head}(`, ...arg.items.map((item) => `${indent}        ${flat(item)},`), `${indent}    ),`],
          ),
          `${indent})`,
        ].join('\n')
      : format(call('mapped_column', args), { indent, prefix: `${target} = ` });
  return [...comments.map((comment) => `${indent}${comment}`), statement].join('\n');
}

function modelsContext(spec: ResourceSpec, packageName: string, targets: ReadonlyMap<string, ReferenceTarget>) {
  const { names, fields } = spec;
  const types = new Set(fields.map((field) => field.type));
  const stdlib: ImportStatement[] = [];
  const dateNames = [...(types.has('date') ? ['date'] : []), ...(types.has('datetime') ? ['datetime'] : [])];
  if (dateNames.length > 0) stdlib.push({ module: 'datetime', names: dateNames });
  if (types.has('decimal')) stdlib.push({ module: 'decimal', names: ['Decimal'] });
  if (types.has('enum')) stdlib.push({ module: 'enum', names: ['StrEnum'] });
  const sqlTypes: Record<string, string | undefined> = {
    str: 'String',
    text: 'Text',
    int: 'Integer',
    float: 'Float',
    decimal: 'Numeric',
    bool: 'Boolean',
    date: 'Date',
    enum: 'Enum',
    ref: 'ForeignKey',
  };
  const sqlalchemy = [...new Set(fields.map((field) => sqlTypes[field.type]).filter((name): name is string => name !== undefined))];
  const thirdParty: ImportStatement[] = [
    ...(sqlalchemy.length > 0 ? [{ module: 'sqlalchemy', names: sqlalchemy }] : []),
    { module: 'sqlalchemy.orm', names: ['Mapped', 'mapped_column'] },
  ];
  const baseNames = ['Base', 'TimestampMixin', ...(types.has('datetime') ? ['UtcDateTime'] : [])];
  const firstParty: ImportStatement[] = [{ module: `${packageName}.db.base`, names: baseNames }];
  const enums = fields
    .filter((field) => field.type === 'enum')
    .map((field) => ({
      className: enumClassName(names, field),
      field: field.name,
      members: field.choices!.map((choice) => `${enumMember(choice)} = ${pyString(choice)}`),
    }));
  return {
    imports: importBlock([stdlib, thirdParty, firstParty]),
    constants: fields
      .filter((field) => field.type === 'str')
      .map((field) => `${maxLengthConstant(names, field)} = ${field.maxLength}`),
    enums,
    columns: fields.map((field) => modelColumn(names, field, targets)),
    refs: fields.filter((field) => field.type === 'ref').length > 0,
  };
}

// --------------------------------------------------------------- schemas.py

function alias(names: ResourceNames, field: FieldSpec): string | undefined {
  const aliasName = enumClassName(names, field);
  if (field.type === 'str') {
    return [
      `${aliasName} = Annotated[`,
      '    str,',
      '    StringConstraints(',
      '        strip_whitespace=True,',
      '        min_length=1,',
      `        max_length=${maxLengthConstant(names, field)},`,
      '        pattern=STORABLE_TEXT,',
      '    ),',
      ']',
    ].join('\n');
  }
  if (field.type === 'text') {
    return format(subscript('Annotated', ['str', call('StringConstraints', [`max_length=${TEXT_MAX_LENGTH.toLocaleString('en').replaceAll(',', '_')}`, 'pattern=STORABLE_TEXT'])]), {
      prefix: `${aliasName} = `,
    });
  }
  if (field.type === 'decimal') {
    // Quantized to the column's scale on the way in, so what POST returns ("120.50")
    // is what the database keeps and GET returns, not the "120.5" the client sent.
    const { precision = DEFAULT_DECIMAL.precision, scale = DEFAULT_DECIMAL.scale } = field;
    const quantum = decimalQuantum(scale);
    // Decimal's default context keeps 28 digits; a wider column needs its own to quantize.
    const context = precision > DEFAULT_DECIMAL_DIGITS ? `, context=Context(prec=${precision})` : '';
    const comment = `# Always ${scale} decimal place${scale === 1 ? '' : 's'}, as the column stores it: POST returns what GET will.`;
    return `${comment}\n${format(
      subscript('Annotated', [
        'Decimal',
        call('Field', [`max_digits=${field.precision}`, `decimal_places=${field.scale}`]),
        call('AfterValidator', [`lambda value: value.quantize(Decimal(${pyString(quantum)})${context})`]),
      ]),
      { prefix: `${aliasName} = ` },
    )}`;
  }
  return undefined;
}

/** The digits of precision of Python's default decimal context. */
const DEFAULT_DECIMAL_DIGITS = 28;

/** The smallest step of a decimal with `scale` places, as a Decimal literal: "1", "0.01", "1E-10". */
function decimalQuantum(scale: number): string {
  if (scale === 0) return '1';
  return scale <= 6 ? `0.${'0'.repeat(scale - 1)}1` : `1E-${scale}`;
}

function sortableFields(fields: readonly FieldSpec[]): FieldSpec[] {
  return fields.filter((field) => SORTABLE.has(field.type));
}

/** The text field `?q=` searches: the first required str field, if any. */
export function searchField(fields: readonly FieldSpec[]): FieldSpec | undefined {
  return fields.find((field) => field.type === 'str' && !field.optional);
}

function schemasContext(spec: ResourceSpec, packageName: string) {
  const { names, fields } = spec;
  const types = new Set(fields.map((field) => field.type));
  const stdlib: ImportStatement[] = [
    { module: 'datetime', names: ['datetime', ...(types.has('date') ? ['date'] : []), ...(types.has('datetime') ? ['UTC'] : [])] },
    ...(types.has('decimal')
      ? [{ module: 'decimal', names: [...(fields.some((field) => field.type === 'decimal' && (field.precision ?? DEFAULT_DECIMAL.precision) > DEFAULT_DECIMAL_DIGITS) ? ['Context'] : []), 'Decimal'] }]
      : []),
    { module: 'enum', names: ['StrEnum'] },
    ...(types.has('str') || types.has('text') || types.has('decimal') || types.has('int') || types.has('ref')
      ? [{ module: 'typing', names: ['Annotated'] }]
      : []),
  ];
  const required = fields.filter((field) => !field.optional);
  const pydantic = [
    'BaseModel',
    'ConfigDict',
    'Field',
    ...(types.has('str') || types.has('text') ? ['StringConstraints'] : []),
    ...(types.has('datetime') || types.has('decimal') ? ['AfterValidator'] : []),
    ...(types.has('float') ? ['FiniteFloat', 'Strict'] : []),
    ...(types.has('bool') ? ['StrictBool'] : []),
    ...(types.has('int') || types.has('ref') ? ['StrictInt'] : []),
    ...(required.length > 0 ? ['field_validator'] : []),
  ];
  // `X | SkipJsonSchema[None]`: an update may leave a required field out, but not null it,
  // and the OpenAPI schema then offers no null either.
  const jsonSchema: ImportStatement[] = required.length > 0 ? [{ module: 'pydantic.json_schema', names: ['SkipJsonSchema'] }] : [];
  const validationNames = [
    ...(types.has('str') || types.has('text') ? ['STORABLE_TEXT'] : []),
    ...(types.has('datetime') ? ['IsoAwareDatetime'] : []),
    ...(types.has('date') ? ['IsoDate'] : []),
  ];
  const search = searchField(fields);
  const refs = fields.filter((field) => field.type === 'ref');
  const modelNames = [
    ...fields.filter((field) => field.type === 'str').map((field) => maxLengthConstant(names, field)),
    ...fields.filter((field) => field.type === 'enum').map((field) => enumClassName(names, field)),
  ];
  const firstParty: ImportStatement[] = [
    { module: `${packageName}.pagination`, names: ['PageParams'] },
    ...(refs.length > 0 ? [{ module: `${packageName}.db.base`, names: ['MAX_ROW_ID'] }] : []),
    ...(modelNames.length > 0 ? [{ module: `${packageName}.${names.plural}.models`, names: modelNames, explode: true }] : []),
    ...(validationNames.length > 0 || search
      ? [{ module: `${packageName}.validation`, names: [...validationNames, ...(search ? ['SearchText'] : [])] }]
      : []),
  ];
  // The shared aliases (Int32, StrictFiniteFloat, ReferenceId, UtcTimestamp) are in the template; these are per field.
  const fieldAliases = fields.flatMap((field) => alias(names, field) ?? []);
  const sharedAliases = { int: types.has('int'), float: types.has('float'), reference: refs.length > 0, datetime: types.has('datetime') };
  const create = fields.map((field) => {
    const type = field.optional ? `${inputType(names, field)} | None` : inputType(names, field);
    const value = createDefault(names, field);
    return value === undefined ? `    ${field.column}: ${type}` : assignment('    ', `${field.column}: ${type}`, value);
  });
  const update = fields.map((field) =>
    assignment('    ', `${field.column}: ${inputType(names, field)} | ${field.optional ? 'None' : 'SkipJsonSchema[None]'}`, 'None'),
  );
  // The validator's body is in the template; its decorator lists the required fields.
  const notNull = required.length === 0 ? '' : format(call('@field_validator', required.map((field) => pyString(field.column))), { indent: '    ' });
  const read = fields.map((field) => `    ${field.column}: ${readType(names, field)}`);
  const sortable = sortableFields(fields);
  const sortMembers = [...sortable.map((field) => field.column), 'created_at'].flatMap((column) => [
    `${upper(column)} = ${pyString(column)}`,
    `${upper(column)}_DESC = ${pyString(`-${column}`)}`,
  ]);
  const defaultSort = upper(sortable[0]?.column ?? 'created_at');
  const listParams: string[] = [];
  for (const field of fields.filter((candidate) => FILTERABLE.has(candidate.type))) {
    const type = field.type === 'enum' ? enumClassName(names, field) : field.type === 'ref' ? 'int' : 'bool';
    const args = [
      'default=None',
      ...(field.type === 'ref' ? ['ge=1', 'le=MAX_ROW_ID'] : []),
      `description=${pyString(`Only rows whose ${field.column} is this.`)}`,
    ];
    listParams.push(format(call('Field', args), { indent: '    ', prefix: `${field.column}: ${type} | None = ` }));
  }
  if (search) {
    listParams.push(
      format(call('Field', ['default=None', `description=${pyString(`Text to search for in ${search.column} (any case).`)}`]), {
        indent: '    ',
        prefix: 'q: SearchText | None = ',
      }),
    );
  }
  listParams.push(assignment('    ', `sort: ${names.className}Sort`, `${names.className}Sort.${defaultSort}`));
  return {
    imports: importBlock([stdlib, [{ module: 'pydantic', names: pydantic }, ...jsonSchema], firstParty]),
    hasAliases: Object.values(sharedAliases).some(Boolean) || fieldAliases.length > 0,
    sharedAliases,
    fieldAliases,
    create,
    update,
    notNull,
    read,
    sortMembers,
    listParams,
    hasOptional: fields.some((field) => field.optional),
  };
}

// ------------------------------------------------------------ repository.py

function repositoryContext(spec: ResourceSpec, packageName: string, owned: boolean, noNullsLast: boolean) {
  const { names, fields } = spec;
  const model = names.className;
  const id = `${names.singular}_id`;
  const search = searchField(fields);
  const orders = [...sortableFields(fields), undefined].flatMap((field) => {
    const column = field?.column ?? 'created_at';
    // Missing values sort last in both directions. Where the database has NULLS
    // LAST it is spelled out; elsewhere the order starts with `IS NULL` (false first).
    const nullsLast = field?.optional && !noNullsLast ? '.nulls_last()' : '';
    const nullsFirstKey = field?.optional && noNullsLast ? [`${model}.${column}.is_(None).asc()`] : [];
    return (['asc', 'desc'] as const).map((direction) =>
      format(
        { head: '', open: '(', items: [...nullsFirstKey, `${model}.${column}.${direction}()${nullsLast}`, `${model}.id.${direction}()`], close: ')' },
        { indent: '    ', prefix: `${model}Sort.${upper(column)}${direction === 'desc' ? '_DESC' : ''}: `, suffix: ',' },
      ),
    );
  });
  const filters = fields
    .filter((field) => FILTERABLE.has(field.type))
    .map((field) =>
      [
        `        if params.${field.column} is not None:`,
        format(call('statement.where', [`${model}.${field.column} == params.${field.column}`]), {
          indent: '            ',
          prefix: 'statement = ',
        }),
      ].join('\n'),
    );
  if (search) {
    filters.push(
      [
        '        if params.q is not None:',
        format(call('statement.where', [call('contains_text', [`${model}.${search.column}`, 'params.q'])]), {
          indent: '            ',
          prefix: 'statement = ',
        }),
      ].join('\n'),
    );
  }
  return {
    imports: importBlock([
      [
        { module: 'collections.abc', names: ['Sequence'] },
        { module: 'typing', names: ['Any'] },
      ],
      [
        { module: 'sqlalchemy', names: ['UnaryExpression', 'select'] },
        { module: 'sqlalchemy.orm', names: ['Session'] },
      ],
      [
        { module: `${packageName}.db.queries`, names: [...(search ? ['contains_text'] : []), 'count_rows', 'page_of'], explode: true },
        { module: `${packageName}.${names.plural}.models`, names: [model] },
        { module: `${packageName}.${names.plural}.schemas`, names: [`${model}ListParams`, `${model}Sort`] },
      ],
    ]),
    nullsLast: sortableFields(fields).some((field) => field.optional),
    orders,
    filters,
    getSignature: format(call('def get', ['self', `${names.singular}_id: int`], ` -> ${model} | None`), { indent: '    ', suffix: ':' }),
    ownedGet: owned
      ? format(call(`select(${model}).where`, [`${model}.id == ${id}`, `${model}.owner_id == self.owner_id`]), {
          indent: '        ',
          prefix: 'statement = ',
        })
      : '',
    ownedSelect: owned
      ? format(call(`select(${model}).where`, [`${model}.owner_id == self.owner_id`]), { indent: '        ', prefix: 'statement = ' })
      : '',
    listSignature: format(call('def list_page', ['self', `params: ${model}ListParams`], ` -> tuple[Sequence[${model}], int]`), {
      indent: '    ',
      suffix: ':',
    }),
  };
}

// --------------------------------------------------------------- service.py

/** Whether the resource's writes can break a database rule (a unique field, a reference), so its service needs `commit_or_conflict`. */
export function canConflict(spec: ResourceSpec): boolean {
  return conflictMessage(spec) !== undefined;
}

function conflictMessage(spec: ResourceSpec): string | undefined {
  const { names, fields } = spec;
  const unique = fields.filter((field) => field.unique);
  const refs = fields.some((field) => field.type === 'ref');
  const taken =
    unique.length === 1 ? `Another ${names.human} already has this ${humanize(unique[0]!.column)}` : `Another ${names.human} already has one of these values`;
  if (unique.length > 0 && refs) return `${unique.length === 1 ? taken : `Another ${names.human} has a unique value`}, or a row it refers to was just deleted.`;
  if (unique.length > 0) return `${taken}.`;
  if (refs) return `A row this ${names.human} refers to was just deleted.`;
  return undefined;
}

function serviceContext(spec: ResourceSpec, packageName: string, targets: ReadonlyMap<string, ReferenceTarget>, owned: boolean) {
  const { names, fields } = spec;
  const model = names.className;
  const refs = fields.filter((field) => field.type === 'ref');
  const message = conflictMessage(spec);
  const refModels = [...new Set(refs.map((field) => field.target!))];
  const commit = message ? 'commit_or_conflict(self.session, _CONFLICT)' : 'self.session.commit()';
  // The check's lines are in the template; here, whether its condition fits on one line.
  const checkRefs = refs.map((field) => {
    const target = field.target!;
    const condition = `if ${field.column} is not None and self.session.get(${target}, ${field.column}) is None:`;
    return {
      column: field.column,
      target,
      fits: `        ${condition}`.length <= LINE_LENGTH,
      raise: format(call('raise ConflictError', [`f"${capitalize(humanize(snakeCase(target)))} {${field.column}} does not exist."`]), {
        indent: '            ',
      }),
    };
  });
  const refArgs = refs.map((field) => `data.${field.column}`);
  const checkCall = refs.length === 0 ? '' : format(call('self._check_references', refArgs), { indent: '        ' });
  return {
    imports: importBlock([
      [],
      [{ module: 'sqlalchemy.orm', names: ['Session'] }],
      [
        ...(message ? [{ module: `${packageName}.db.transactions`, names: ['commit_or_conflict'] }] : []),
        { module: `${packageName}.errors`, names: ['NotFoundError', ...(refs.length > 0 ? ['ConflictError'] : [])] },
        { module: `${packageName}.pagination`, names: ['Page'] },
        { module: `${packageName}.${names.plural}.models`, names: [model] },
        { module: `${packageName}.${names.plural}.repository`, names: [`${model}Repository`] },
        {
          module: `${packageName}.${names.plural}.schemas`,
          names: [`${model}Create`, `${model}ListParams`, `${model}Read`, `${model}Update`],
          explode: true,
        },
        ...refModels.map((target) => ({ module: `${packageName}.${targets.get(target)!.module}`, names: [target] })),
        ...(owned ? [{ module: `${packageName}.users.models`, names: ['User'] }] : []),
      ],
    ]),
    conflict: message ? assignment('', '_CONFLICT', pyString(message)) : '',
    ownedCreate: owned
      ? format(call(model, ['**data.model_dump()', 'owner_id=self.owner.id']), { indent: '        ', prefix: `${names.singular} = ` })
      : '',
    commit: `        ${commit}`,
    notFound: format(call('raise NotFoundError', [`f"${capitalize(names.human)} {${names.singular}_id} does not exist."`]), {
      indent: '            ',
    }),
    checkSignature:
      refs.length === 0
        ? ''
        : format(
            call(
              'def _check_references',
              ['self', ...refs.map((field) => `${field.column}: int | None`)],
              ' -> None',
            ),
            { indent: '    ', suffix: ':' },
          ),
    checkRefs,
    checkCall,
    createSignature: format(call('def create', ['self', `data: ${model}Create`], ` -> ${model}`), { indent: '    ', suffix: ':' }),
    updateSignature: format(call('def update', ['self', `${names.singular}_id: int`, `data: ${model}Update`], ` -> ${model}`), {
      indent: '    ',
      suffix: ':',
    }),
    listSignature: format(call('def list_page', ['self', `params: ${model}ListParams`], ` -> Page[${model}Read]`), {
      indent: '    ',
      suffix: ':',
    }),
    hasRefs: refs.length > 0,
  };
}

// ---------------------------------------------------------------- router.py

function routerContext(spec: ResourceSpec, packageName: string, owned: boolean) {
  const { names, fields } = spec;
  const model = names.className;
  const conflicts = fields.some((field) => field.unique || field.type === 'ref');
  const id = `${names.singular}_id`;
  // Owned rows: every route needs a signed-in user, and its responses document the 401.
  const error_responses = owned ? 'auth_error_responses' : 'error_responses';
  return {
    imports: importBlock([
      [{ module: 'typing', names: ['Annotated'] }],
      [{ module: 'fastapi', names: ['APIRouter', 'Depends', 'Path', 'Query', 'Request', 'Response', 'status'] }],
      [
        ...(owned
          ? [
              { module: `${packageName}.auth.dependencies`, names: ['CurrentUser'] },
              { module: `${packageName}.auth.errors`, names: ['auth_error_responses'] },
            ]
          : []),
        { module: `${packageName}.db.base`, names: ['MAX_ROW_ID'] },
        { module: `${packageName}.db.dependencies`, names: ['SessionDep'] },
        ...(owned ? [] : [{ module: `${packageName}.errors`, names: ['error_responses'] }]),
        { module: `${packageName}.pagination`, names: ['Page'] },
        {
          module: `${packageName}.${names.plural}.schemas`,
          names: [`${model}Create`, `${model}ListParams`, `${model}Read`, `${model}Update`],
          explode: true,
        },
        { module: `${packageName}.${names.plural}.service`, names: [`${model}Service`] },
      ],
    ]),
    routerLine: format(
      call('APIRouter', [`prefix=${pyString(names.route)}`, `tags=[${pyString(names.route.slice(1))}]`, `responses=${error_responses}(${owned ? '401, 422' : '422'})`]),
      { prefix: 'router = ' },
    ),
    idAlias: format(
      subscript('Annotated', ['int', call('Path', ['ge=1', 'le=MAX_ROW_ID', `description=${pyString(`The ${names.human}'s id.`)}`])]),
      { prefix: `${model}Id = ` },
    ),
    serviceDep: format(subscript('Annotated', [`${model}Service`, call('Depends', [`get_${names.singular}_service`])]), {
      prefix: `${model}ServiceDep = `,
    }),
    getServiceSignature: format(
      call(`async def get_${names.singular}_service`, ['session: SessionDep', ...(owned ? ['user: CurrentUser'] : [])], ` -> ${model}Service`),
      { suffix: ':' },
    ),
    createDecorator: format(
      call('@router.post', ['""', 'status_code=status.HTTP_201_CREATED', `responses=${error_responses}(${conflicts ? '400, 409' : '400'})`]),
    ),
    createSignature: format(
      call(`def create_${names.singular}`, [`body: ${model}Create`, `service: ${model}ServiceDep`, 'request: Request', 'response: Response'], ` -> ${model}Read`),
      { suffix: ':' },
    ),
    location: format(call('str', [call('request.url_for', [pyString(`get_${names.singular}`), `${id}=${names.singular}.id`])]), {
      indent: '    ',
      prefix: 'response.headers["Location"] = ',
    }),
    listSignature: format(
      call(`def list_${names.plural}`, [`params: Annotated[${model}ListParams, Query()]`, `service: ${model}ServiceDep`], ` -> Page[${model}Read]`),
      { suffix: ':' },
    ),
    getDecorator: format(call('@router.get', [pyString(`/{${id}}`), `responses=${error_responses}(404)`])),
    getSignature: format(call(`def get_${names.singular}`, [`${id}: ${model}Id`, `service: ${model}ServiceDep`], ` -> ${model}Read`), {
      suffix: ':',
    }),
    patchDecorator: format(call('@router.patch', [pyString(`/{${id}}`), `responses=${error_responses}(${conflicts ? '400, 404, 409' : '400, 404'})`])),
    patchSignature: format(
      call(`def update_${names.singular}`, [`${id}: ${model}Id`, `body: ${model}Update`, `service: ${model}ServiceDep`], ` -> ${model}Read`),
      { suffix: ':' },
    ),
    deleteDecorator: format(
      call('@router.delete', [pyString(`/{${id}}`), 'status_code=status.HTTP_204_NO_CONTENT', `responses=${error_responses}(404)`]),
    ),
    deleteSignature: format(call(`def delete_${names.singular}`, [`${id}: ${model}Id`, `service: ${model}ServiceDep`], ' -> None'), {
      suffix: ':',
    }),
    getReturn: format(call(`${model}Read.model_validate`, [`service.get(${id})`]), { indent: '    ', prefix: 'return ' }),
    patchReturn: format(call(`${model}Read.model_validate`, [`service.update(${id}, body)`]), { indent: '    ', prefix: 'return ' }),
  };
}

/**
 * The Flask router (APIFlask): the same routes, status codes and error bodies as
 * FastAPI's, declared with `@router.input` / `@router.output` on a blueprint the
 * project's `routes.py` registers. Owned rows: every route declares
 * `@router.auth_required(bearer)` (401 without a token), the service is bound to
 * `current_user()`, and the responses document the 401 (`auth_error_responses`).
 */
function flaskRouterContext(spec: ResourceSpec, packageName: string, owned: boolean) {
  const { names, fields } = spec;
  const model = names.className;
  const conflicts = fields.some((field) => field.unique || field.type === 'ref');
  const id = `${names.singular}_id`;
  // The documented errors of a route: with owned rows, every one may also be a 401.
  const errors = (...statuses: number[]): string =>
    `${owned ? 'auth_error_responses' : 'error_responses'}(${(owned ? [...statuses, 401].sort((a, b) => a - b) : statuses).join(', ')})`;
  const service = `${names.singular}_service()`;
  const signature = (name: string, params: readonly string[], returns: string): string =>
    format(call(`def ${name}`, params, ` -> ${returns}`), { suffix: ':' });
  const returned = (code: string): string =>
    format(call(`${model}Read.model_validate`, [code]), { indent: '    ', prefix: 'return ' });
  return {
    imports: importBlock([
      [{ module: 'http', names: ['HTTPStatus'] }],
      [
        { module: 'apiflask', names: ['APIBlueprint'] },
        { module: 'flask', names: ['url_for'] },
        { module: 'pydantic', names: ['BaseModel', 'Field'] },
      ],
      [
        ...(owned
          ? [
              { module: `${packageName}.auth.dependencies`, names: ['bearer', 'current_user'] },
              { module: `${packageName}.auth.errors`, names: ['auth_error_responses'] },
            ]
          : []),
        { module: `${packageName}.db.base`, names: ['MAX_ROW_ID'] },
        { module: `${packageName}.db.dependencies`, names: ['request_session'] },
        ...(owned ? [] : [{ module: `${packageName}.errors`, names: ['error_responses'] }]),
        { module: `${packageName}.pagination`, names: ['Page'] },
        {
          module: `${packageName}.${names.plural}.schemas`,
          names: [`${model}Create`, `${model}ListParams`, `${model}Read`, `${model}Update`],
          explode: true,
        },
        { module: `${packageName}.${names.plural}.service`, names: [`${model}Service`] },
      ],
    ]),
    blueprint: format(
      call('APIBlueprint', [pyString(names.plural), '__name__', `url_prefix=${pyString(names.route)}`, `tag=${pyString(names.route.slice(1))}`]),
      { prefix: 'router = ' },
    ),
    pathField: format(call('Field', ['ge=1', 'le=MAX_ROW_ID', `description=${pyString(`The ${names.human}'s id.`)}`]), {
      indent: '    ',
      prefix: `${id}: int = `,
    }),
    createErrors: conflicts ? errors(400, 409, 422) : errors(400, 422),
    listErrors: errors(422),
    oneErrors: errors(404),
    patchErrors: conflicts ? errors(400, 404, 409, 422) : errors(400, 404, 422),
    service: owned
      ? format(call(`${model}Service`, ['request_session()', 'owner=current_user()']), { indent: '    ', prefix: 'return ' })
      : `    return ${model}Service(request_session())`,
    createSignature: signature(`create_${names.singular}`, [`body: ${model}Create`], `tuple[${model}Read, int, dict[str, str]]`),
    createCall: format(call(`${service}.create`, ['body']), { indent: '    ', prefix: `${names.singular} = ` }),
    location: format(call('url_for', [pyString(`api.${names.plural}.get_${names.singular}`), `${id}=${names.singular}.id`, '_external=True']), {
      indent: '    ',
      prefix: 'location = ',
    }),
    createdRead: format(call(`${model}Read.model_validate`, [names.singular]), { indent: '    ', prefix: 'created = ' }),
    listSignature: signature(`list_${names.plural}`, [`params: ${model}ListParams`], `Page[${model}Read]`),
    getSignature: signature(`get_${names.singular}`, [`path: ${model}Path`, '**_text: str'], `${model}Read`),
    getReturn: returned(`${service}.get(path.${id})`),
    patchSignature: signature(`update_${names.singular}`, [`path: ${model}Path`, `body: ${model}Update`, '**_text: str'], `${model}Read`),
    patchReturn: returned(`${service}.update(path.${id}, body)`),
    deleteSignature: signature(`delete_${names.singular}`, [`path: ${model}Path`, '**_text: str'], 'tuple[str, int]'),
  };
}

// ------------------------------------------------------------ the migration

function migrationColumnType(names: ResourceNames, field: FieldSpec): Code {
  switch (field.type) {
    case 'str':
      return `sa.String(length=${field.maxLength})`;
    case 'text':
      return 'sa.Text()';
    case 'int':
    case 'ref':
      return 'sa.Integer()';
    case 'float':
      return 'sa.Float()';
    case 'decimal':
      return `sa.Numeric(precision=${field.precision}, scale=${field.scale})`;
    case 'bool':
      return 'sa.Boolean()';
    case 'date':
      return 'sa.Date()';
    case 'datetime':
      return 'sa.DateTime(timezone=True)';
    case 'enum':
      return call('sa.Enum', [
        ...field.choices!.map(pyString),
        `name=${pyString(`${names.singular}_${field.name}`)}`,
        'native_enum=False',
        'create_constraint=True',
        `length=${Math.max(20, ...field.choices!.map((choice) => choice.length))}`,
      ]);
  }
}

function revisionLiteral(revisions: readonly string[]): string {
  if (revisions.length === 0) return 'None';
  if (revisions.length === 1) return pyString(revisions[0]!);
  return flat({ head: '', open: '(', items: revisions.map(pyString), close: ')' });
}

export interface MigrationInput {
  readonly revision: string;
  /** The heads the new revision follows (empty: a first migration). */
  readonly downRevisions: readonly string[];
  readonly createdAt: Date;
}

function migrationContext(spec: ResourceSpec, targets: ReadonlyMap<string, ReferenceTarget>, migration: MigrationInput) {
  const { names, fields } = spec;
  const table = names.plural;
  const indent = '        ';
  const column = (name: string, type: Code, nullable: boolean): string =>
    format(call('sa.Column', [pyString(name), type, `nullable=${nullable ? 'True' : 'False'}`]), { indent, suffix: ',' });
  const items = [
    format(pyString(table), { indent, suffix: ',' }),
    column('id', 'sa.Integer()', false),
    ...fields.map((field) => column(field.column, migrationColumnType(names, field), field.optional)),
    column('created_at', 'sa.DateTime(timezone=True)', false),
    column('updated_at', 'sa.DateTime(timezone=True)', false),
    ...fields
      .filter((field) => field.type === 'ref')
      .map((field) => {
        const target = targets.get(field.target!)!.table;
        return format(
          call('sa.ForeignKeyConstraint', [
            `[${pyString(field.column)}]`,
            `[${pyString(`${target}.id`)}]`,
            `name=op.f(${pyString(`fk_${table}_${field.column}_${target}`)})`,
            `ondelete=${pyString(refOnDelete(field))}`,
          ]),
          { indent, suffix: ',' },
        );
      }),
    format(call('sa.PrimaryKeyConstraint', ['"id"', `name=op.f(${pyString(`pk_${table}`)})`]), { indent, suffix: ',' }),
    ...fields
      .filter((field) => field.unique)
      .map((field) =>
        format(call('sa.UniqueConstraint', [pyString(field.column), `name=op.f(${pyString(`uq_${table}_${field.column}`)})`]), {
          indent,
          suffix: ',',
        }),
      ),
  ];
  const indexed = fields.filter((field) => field.type === 'ref' && !field.unique);
  const createIndexes = indexed.map((field) =>
    format(call('op.create_index', [`op.f(${pyString(`ix_${table}_${field.column}`)})`, pyString(table), `[${pyString(field.column)}]`]), {
      indent: '    ',
    }),
  );
  const dropIndexes = indexed.map((field) =>
    format(call('op.drop_index', [`op.f(${pyString(`ix_${table}_${field.column}`)})`, `table_name=${pyString(table)}`]), {
      indent: '    ',
    }),
  );
  const constraints = [
    ...fields.filter((field) => field.unique).map((field) => `- \`uq_${table}_${field.column}\`: no duplicates;`),
    ...fields
      .filter((field) => field.type === 'ref')
      .map((field) => `- \`fk_${table}_${field.column}_${targets.get(field.target!)!.table}\`: ON DELETE ${refOnDelete(field)};`),
    ...fields.filter((field) => field.type === 'enum').map((field) => `- \`ck_${table}_${names.singular}_${field.name}\`: known values only;`),
    ...indexed.map((field) => `- \`ix_${table}_${field.column}\`: for joins and filters;`),
  ];
  const date = migration.createdAt;
  const pad = (value: number): string => String(value).padStart(2, '0');
  return {
    message: `Create the ${table} table.`,
    revision: migration.revision,
    revises: migration.downRevisions.join(', '),
    createDate: `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}+00:00`,
    constraints: constraints.length > 0 ? constraints.map((line, index, all) => (index === all.length - 1 ? `${line.slice(0, -1)}.` : line)) : [],
    revisionLine: `revision: str = ${pyString(migration.revision)}`,
    downRevisionLine: assignment('', 'down_revision: str | Sequence[str] | None', revisionLiteral(migration.downRevisions)),
    tableItems: items,
    createIndexes,
    dropIndexes,
    fileName: `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}_${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}_${migration.revision}_${migrationSlug(`create the ${table} table`)}.py`,
  };
}

// ------------------------------------------------------------------- tests

/** Alembic's slug of a message, cut at a word boundary the way `truncate_slug_length = 40` does. */
export function migrationSlug(message: string, limit = 40): string {
  const slug = (message.match(/\w+/g) ?? []).join('_').toLowerCase();
  return slug.length > limit ? `${slug.slice(0, limit).split('_').slice(0, -1).join('_')}_` : slug;
}

/** A Python expression for a valid value of `field` that grows with `n` (an int variable). */
function sample(field: FieldSpec, n = 'n'): Code {
  switch (field.type) {
    case 'str': {
      const label = capitalize(humanize(field.name)).slice(0, Math.max(0, field.maxLength! - 4)).trimEnd();
      return label === '' ? `str(${n})` : `f"${label} {${n}}"`;
    }
    case 'text':
      return `f"${capitalize(humanize(field.name))} {${n}}"`;
    case 'int':
      return `${n} * 10`;
    case 'float':
      return `${n} + 0.5`;
    case 'decimal':
      return `decimal_text(${n}, ${field.scale})`;
    case 'bool':
      return `${n} % 2 == 0`;
    case 'date':
      return `day(${n})`;
    case 'datetime':
      return `moment(${n})`;
    case 'enum':
      return { head: '', open: '[', items: field.choices!.map(pyString), close: ']', tail: `[${n} % ${field.choices!.length}]` };
    case 'ref':
      return `create_${snakeCase(field.target!)}(client)`;
  }
}

/** `"column": <sample>` in a body dict; explodable when the sample has brackets. */
function entry(field: FieldSpec): Code {
  const value = sample(field);
  const key = `${pyString(field.column)}: `;
  return typeof value === 'string' ? `${key}${value}` : { ...value, head: `${key}${value.head}` };
}

/** Values a create must refuse with 422, per field. */
function invalidValues(field: FieldSpec): string[] {
  switch (field.type) {
    case 'str':
      return ['""', `"x" * ${field.maxLength! + 1}`, '"nul\\u0000byte"'];
    case 'text':
      return [`"x" * ${TEXT_MAX_LENGTH + 1}`, '"nul\\u0000byte"'];
    case 'int':
      return ['"ten"', '2**31'];
    case 'float':
      return ['"ten"', '"NaN"'];
    case 'decimal':
      return ['"ten"', `"1" * ${field.precision! + 1}`];
    case 'bool':
      return ['"maybe"'];
    case 'date':
      return ['"2030-02-30"'];
    case 'datetime':
      // No offset: which moment would that be? Naive times are refused.
      return ['"2030-01-01T12:00:00"', '"soon"'];
    case 'enum':
      return ['"no-such-value"'];
    case 'ref':
      return ['0', '"one"'];
  }
}

function targetHelpers(
  fields: readonly FieldSpec[],
  targets: ReadonlyMap<string, ReferenceTarget>,
): {
  helpers: { name: string; human: string; usesN: boolean; parents: { variable: string; parent: string }[]; post: string }[];
  usesCounter: boolean;
} {
  const order: string[] = [];
  const visit = (model: string): void => {
    if (order.includes(model)) return;
    const target = targets.get(model)!;
    for (const parent of Object.values(target.create.parents)) visit(parent);
    for (const field of target.create.fields) if (field.type === 'ref') visit(field.target!);
    order.push(model);
  };
  for (const field of fields) if (field.type === 'ref') visit(field.target!);
  let usesCounter = false;
  const helpers = order.map((model) => {
    const target = targets.get(model)!;
    const body = target.create.fields.filter((field) => !hasDefault(field));
    const usesN = body.some((field) => field.type !== 'ref');
    usesCounter ||= usesN;
    const parents = Object.entries(target.create.parents);
    const path = `/api/v1${target.create.path}`;
    const pathLiteral = parents.length > 0 ? `f${pyString(path)}` : pyString(path);
    const bodyCode = dict('', body.map((field) => entry(field)));
    return {
      name: snakeCase(model),
      human: humanize(snakeCase(model)),
      usesN,
      parents: parents.map(([variable, parent]) => ({ variable, parent: snakeCase(parent) })),
      post: format(call('created_id', ['client', pathLiteral, bodyCode]), { indent: '    ', prefix: 'return ' }),
    };
  });
  return { helpers, usesCounter };
}

/** How a framework's test client is spelled in the generated tests. */
export interface TestClientDialect {
  /** The fixture's type: `TestClient` (FastAPI, on httpx) or `FlaskClient` (Werkzeug). */
  readonly client: string;
  readonly module: string;
  /** The parsed JSON body: httpx's `.json()`, Werkzeug's `.get_json()` (typed `Any`, unlike `.json`). */
  readonly json: string;
  /** The keyword of a query string. */
  readonly query: string;
  /** The keyword of a JSON body: httpx's and Werkzeug's `json`; DRF's `data` (its client sends JSON by default here). */
  readonly body: string;
  /** Numbers in a query string written as text: django-stubs types the query's values so, and a mixed dict would not fit. */
  readonly textQuery: boolean;
}

export const TEST_CLIENTS: Readonly<Record<ResourceFramework, TestClientDialect>> = {
  fastapi: { client: 'TestClient', module: 'fastapi.testclient', json: '.json()', query: 'params', body: 'json', textQuery: false },
  flask: { client: 'FlaskClient', module: 'flask.testing', json: '.get_json()', query: 'query_string', body: 'json', textQuery: false },
  django: { client: 'APIClient', module: 'rest_framework.test', json: '.json()', query: 'data', body: 'data', textQuery: true },
};

function testsContext(spec: ResourceSpec, targets: ReadonlyMap<string, ReferenceTarget>, http: TestClientDialect) {
  const { names, fields } = spec;
  const constant = upper(names.plural);
  const url = (suffix: string): string => `f"{${constant}}${suffix}"`;
  const types = new Set(fields.map((field) => field.type));
  const refs = fields.filter((field) => field.type === 'ref');
  const { helpers, usesCounter } = targetHelpers(fields, targets);
  const targetTypes = new Set([...targets.values()].flatMap((target) => target.create.fields.map((field) => field.type)));
  const needs = (type: FieldSpec['type']): boolean => types.has(type) || (refs.length > 0 && targetTypes.has(type));
  const stdlib: ImportStatement[] = [
    ...(usesCounter ? [{ module: 'itertools' }] : []),
    ...(needs('date') || needs('datetime')
      ? [{ module: 'datetime', names: [...(needs('date') ? ['date'] : []), ...(needs('datetime') ? ['UTC', 'datetime'] : []), 'timedelta'] }]
      : []),
    ...(needs('decimal') ? [{ module: 'decimal', names: ['Decimal'] }] : []),
    { module: 'typing', names: ['Any'] },
  ];
  const thirdParty: ImportStatement[] = [{ module: 'pytest' }, { module: http.module, names: [http.client] }];
  const decimals = fields.filter((field) => field.type === 'decimal').map((field) => pyString(field.column));
  const datetimes = fields.filter((field) => field.type === 'datetime').map((field) => pyString(field.column));
  const tuple = (items: readonly string[]): Code =>
    items.length === 1 ? `(${items[0]},)` : { head: '', open: '(', items, close: ')' };
  const constants = [
    `${constant} = ${pyString(`/api/v1${names.route}`)}`,
    ...(usesCounter ? ['_numbers = itertools.count(1)'] : []),
    ...(refs.length > 0 ? [format(tuple(refs.map((field) => pyString(field.column))), { prefix: 'REFERENCES = ' })] : []),
    ...(decimals.length > 0 ? [format(tuple(decimals), { prefix: 'DECIMAL_FIELDS = ' })] : []),
    ...(datetimes.length > 0 ? [format(tuple(datetimes), { prefix: 'DATETIME_FIELDS = ' })] : []),
  ];
  const values = fields.filter((field) => field.type !== 'ref');
  // One field per line, however short: the body reads like a table.
  const table = (items: readonly FieldSpec[]): string[] =>
    items.length === 0 ? ['    return {}'] : ['    return {', ...items.map((field) => format(entry(field), { indent: '        ', suffix: ',' })), '    }'];
  const invalid = [
    ...fields.flatMap((field) => invalidValues(field).map((value) => `(${pyString(field.column)}, ${value})`)),
    '("id", 1)',
    '("unknown_field", True)',
  ];
  const requiredNoDefault = fields.filter((field) => !hasDefault(field));
  const required = fields.filter((field) => !field.optional);
  const defaults = fields.filter(hasDefault);
  const optional = fields.filter((field) => field.optional);
  const unique = fields.filter((field) => field.unique);
  const sortable = sortableFields(fields);
  const search = searchField(fields);
  const create = `create_${names.singular}`;
  const body = `${names.singular}_body`;
  const parametrize = (name: string, values: readonly string[]): string =>
    format(call('@pytest.mark.parametrize', [pyString(name), list('', values)]));
  const signature = (name: string, params: readonly string[]): string =>
    format(call(`def ${name}`, [`client: ${http.client}`, ...params], ' -> None'), { suffix: ':' });
  const statement = (target: string, code: Code): string => format(code, { indent: '    ', prefix: `${target} = ` });
  const createRow = (variable: string | undefined, n: number, extra?: string): string =>
    format(call(create, ['client', String(n), ...(extra ? [extra] : [])], variable ? '' : ''), {
      indent: '    ',
      prefix: variable ? `${variable} = ` : '',
    });
  const rowUrl = (row: string): string => `    url = ${url(`/{${row}['id']}`)}`;
  const signatureOf = (name: string): string => signature(name, []);
  const refDeletions = refs.map((field) => {
    const target = targets.get(field.target!)!;
    return {
      signature: signatureOf(
        field.optional ? `test_deleting_the_${field.name}_clears_${field.column}` : `test_deleting_the_${field.name}_deletes_the_${names.singular}`,
      ),
      collection: target.collection,
      column: field.column,
      optional: field.optional,
    };
  });
  const filters = fields
    .filter((candidate) => FILTERABLE.has(candidate.type))
    .map((field) => {
      const key = pyString(field.column);
      let setup: string[];
      let value: string;
      if (field.type === 'enum') {
        setup = [
          createRow('wanted', 1, `${field.column}=${pyString(field.choices![1]!)}`),
          createRow(undefined, 2, `${field.column}=${pyString(field.choices![0]!)}`),
        ];
        value = pyString(field.choices![1]!);
      } else if (field.type === 'bool') {
        setup = [createRow('wanted', 1, `${field.column}=True`), createRow(undefined, 2, `${field.column}=False`)];
        value = '"true"';
      } else {
        setup = [createRow('wanted', 1), createRow(undefined, 2)];
        value = `wanted[${key}]`;
      }
      return {
        signature: signatureOf(`test_list_filters_by_${field.column}`),
        setup,
        listed: statement('listed', call('client.get', [constant, `${http.query}={${key}: ${value}}`], http.json)),
      };
    });
  const number = (value: number): string => (http.textQuery ? `"${value}"` : String(value));
  const optionalPatch = `    response = client.patch(${url("/{created['id']}")}, ${http.body}=dict.fromkeys(optional))`;
  return {
    http,
    imports: importBlock([stdlib, thirdParty]),
    constants,
    constant,
    needs: { date: needs('date'), datetime: needs('datetime'), decimal: needs('decimal') },
    hasRefs: refs.length > 0,
    targetHelpers: helpers,
    valuesTable: table(values),
    bodyReturn:
      refs.length > 0
        ? format(dict('', [`**${names.singular}_values(n)`, ...refs.map((field) => entry(field))]), { indent: '    ', prefix: 'return ' })
        : '',
    createSignature: format(call(`def create_${names.singular}`, [`client: ${http.client}`, 'n: int', '**fields: Any'], ' -> dict[str, Any]'), {
      suffix: ':',
    }),
    createPost: format(call('client.post', [constant, `${http.body}={**${names.singular}_body(client, n), **fields}`]), {
      indent: '    ',
      prefix: 'response = ',
    }),
    compares: { decimal: decimals.length > 0, datetime: datetimes.length > 0, any: decimals.length + datetimes.length > 0 },
    missingMessage: pyString(`${capitalize(names.human)} 4242 does not exist.`),
    invalidParametrize: format(call('@pytest.mark.parametrize', ['("field", "value")', list('', invalid)])),
    invalidBody:
      refs.length > 0
        ? statement('body', dict('', [`**${names.singular}_values(1)`, '**dict.fromkeys(REFERENCES, 1)', 'field: value']))
        : statement('body', dict('', [`**${names.singular}_values(1)`, 'field: value'])),
    requiredMissing:
      requiredNoDefault.length > 0
        ? format({ head: '', open: '{', items: requiredNoDefault.map((field) => pyString(field.column)), close: '}' }, {
            indent: '    ',
            prefix: 'assert missing == ',
          })
        : '',
    requiredParametrize: required.length > 0 ? parametrize('field', required.map((field) => pyString(field.column))) : '',
    rows: {
      created: createRow('created', 1),
      first: createRow('first', 1),
      second: createRow('second', 2),
      wanted: createRow('wanted', 1),
      other: createRow(undefined, 2),
    },
    defaults:
      defaults.length > 0
        ? {
            minimal:
              requiredNoDefault.length === 0
                ? [`    response = client.post(${constant}, ${http.body}={})`]
                : [
                    `    full = ${body}(client, 1)`,
                    format(tuple(requiredNoDefault.map((field) => pyString(field.column))), { indent: '    ', prefix: 'required = ' }),
                    statement('response', call('client.post', [constant, `${http.body}={field: full[field] for field in required}`])),
                  ],
            expectations: defaults.map((field) => {
              const key = `created[${pyString(field.column)}]`;
              if (field.optional) return `    assert ${key} is None`;
              if (field.type === 'text') return `    assert ${key} == ""`;
              if (field.type === 'bool') return `    assert ${key} is False`;
              return `    assert ${key} == ${pyString(field.choices![0]!)}`;
            }),
          }
        : undefined,
    optional:
      optional.length > 0
        ? {
            tuple: format(tuple(optional.map((field) => pyString(field.column))), { indent: '    ', prefix: 'optional = ' }),
            patch:
              optionalPatch.length <= LINE_LENGTH
                ? optionalPatch
                : [rowUrl('created'), `    response = client.patch(url, ${http.body}=dict.fromkeys(optional))`].join('\n'),
          }
        : undefined,
    unique:
      unique.length > 0
        ? {
            parametrize: parametrize('field', unique.map((field) => pyString(field.column))),
            duplicate: statement('duplicate', call('client.post', [constant, `${http.body}={**${body}(client, 3), field: first[field]}`])),
          }
        : undefined,
    references:
      refs.length > 0
        ? {
            parametrize: parametrize('field', refs.map((field) => pyString(field.column))),
            posted: statement('posted', call('client.post', [constant, `${http.body}={**${body}(client, 2), field: 4242}`])),
            deletions: refDeletions,
          }
        : undefined,
    list: {
      first: statement('first', call('client.get', [constant, `${http.query}={"page_size": ${number(2)}, "sort": "-created_at"}`], http.json)),
      second: statement(
        'second',
        call('client.get', [constant, `${http.query}={"page_size": ${number(2)}, "page": ${number(2)}, "sort": "-created_at"}`], http.json),
      ),
      tooLarge: [
        statement('too_large', call('client.get', [constant, `${http.query}={"page_size": ${number(101)}}`])),
        '    assert too_large.status_code == 422',
      ].join('\n'),
      unknownSort: [
        statement('unknown_sort', call('client.get', [constant, `${http.query}={"sort": "nope"}`])),
        '    assert unknown_sort.status_code == 422',
      ].join('\n'),
    },
    sorts:
      sortable.length > 0
        ? {
            parametrize: parametrize('sort', sortable.map((field) => pyString(field.column))),
            ascending: statement('ascending', call('client.get', [constant, `${http.query}={"sort": sort}`], `${http.json}["items"]`)),
            descending: statement('descending', call('client.get', [constant, `${http.query}={"sort": f"-{sort}"}`], `${http.json}["items"]`)),
          }
        : undefined,
    filters,
    search: search
      ? statement('listed', call('client.get', [constant, `${http.query}={"q": wanted[${pyString(search.column)}].upper()}`], http.json))
      : '',
  };
}

// ------------------------------------------------------------- everything

export interface ResourceContextInput {
  readonly packageName: string;
  readonly spec: ResourceSpec;
  /** Every model the resource's references reach, directly or through their own. */
  readonly targets: ReadonlyMap<string, ReferenceTarget>;
  readonly migration: MigrationInput;
  /** Every row belongs to the user who created it: the auth feature's users, like notes. */
  readonly owned?: boolean;
  /** The database has no NULLS LAST (MySQL, MariaDB): optional sort keys order by `IS NULL` first. */
  readonly noNullsLast?: boolean;
  /** The web framework the router and the HTTP tests are written for. */
  readonly framework: ResourceFramework;
}

/**
 * The owner of an owned resource's rows, as the model and the migration see
 * it: a required reference to `users`, deleted with its user. It is not a
 * field of the API (the schemas never name it): the service sets it from the
 * signed-in user.
 */
const OWNER_FIELD: FieldSpec = { name: 'owner', column: 'owner_id', type: 'ref', optional: false, unique: false, target: 'User' };
const USERS_TARGET: ReferenceTarget = {
  model: 'User',
  module: 'users.models',
  table: 'users',
  collection: '/users',
  create: { path: '/auth/register', parents: {}, fields: [] },
};

/** The spec and targets the model and the migration are written from: with the owner column first, when owned. */
function withOwner(spec: ResourceSpec, targets: ReadonlyMap<string, ReferenceTarget>, owned: boolean) {
  if (!owned) return { spec, targets };
  return { spec: { ...spec, fields: [OWNER_FIELD, ...spec.fields] }, targets: new Map([...targets, ['User', USERS_TARGET]]) };
}

/** The render context of every `generate resource` template. */
export function buildResourceContext(input: ResourceContextInput) {
  const { spec, packageName, targets } = input;
  const owned = input.owned === true;
  const stored = withOwner(spec, targets, owned);
  return {
    owned,
    project: { packageName },
    names: { ...spec.names, Human: capitalize(spec.names.human), HumanPlural: capitalize(spec.names.humanPlural) },
    models: modelsContext(stored.spec, packageName, stored.targets),
    schemas: schemasContext(spec, packageName),
    repository: repositoryContext(spec, packageName, owned, input.noNullsLast === true),
    service: serviceContext(spec, packageName, targets, owned),
    router: input.framework === 'flask' ? flaskRouterContext(spec, packageName, owned) : routerContext(spec, packageName, owned),
    tests: testsContext(spec, targets, TEST_CLIENTS[input.framework]),
    migration: migrationContext(stored.spec, stored.targets, input.migration),
    django: input.framework === 'django' ? buildDjangoContext(spec, packageName, targets, owned) : undefined,
  };
}

export type ResourceContext = ReturnType<typeof buildResourceContext>;
