import { call, format, fromImport, importBlock, pyString, type Code, type ImportStatement } from '../python-format.ts';
import { capitalize, humanize, snakeCase } from '../python-names.ts';
import { DEFAULT_DECIMAL, TEXT_MAX_LENGTH, enumClassName, type FieldSpec, type ResourceNames, type ResourceSpec } from './spec.ts';

/**
 * The Django dialect of `generate resource`: a Django app (model, serializers,
 * viewset, URLs, admin, app config and its first migration) serving the same
 * HTTP contract as the FastAPI and Flask resources, whose HTTP tests it shares
 * (templates/generators/resource/tests/, on DRF's APIClient). Everything the
 * templates in templates/generators/resource-http/django/ print is computed
 * here, laid out by python-format.ts so ruff format finds nothing to change.
 */

/** A model a reference points at, as the Django app sees it. */
export interface DjangoReferenceTarget {
  readonly model: string;
  /** `tasks.models`: the app label is its first segment. */
  readonly module: string;
}

/** Types `sort` takes, as on every framework. */
const SORTABLE = new Set(['str', 'int', 'float', 'decimal', 'date', 'datetime']);
const FILTERABLE = new Set(['bool', 'enum', 'ref']);

/** The largest id a path or a reference accepts: PostgreSQL's `integer`, as on every framework. */
const MAX_ROW_ID = '2_147_483_647';

function upper(snake: string): string {
  return snake.toUpperCase();
}

function maxLengthConstant(names: ResourceNames, field: FieldSpec): string {
  return `${upper(names.singular)}_${upper(field.name)}_MAX_LENGTH`;
}

/** The app label of a model's module: `tasks.models` → `tasks`. */
function appLabel(module: string): string {
  return module.split('.')[0]!;
}

/** Django's label of a `TextChoices` member without one: its name, title-cased (`IN_PROGRESS` → "In Progress"). */
export function choiceLabel(choice: string): string {
  return upper(choice)
    .replaceAll('_', ' ')
    .replace(/[A-Za-z]+/g, (word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase());
}

function enumLength(field: FieldSpec): number {
  return Math.max(20, ...field.choices!.map((choice) => choice.length));
}

/**
 * A field's Django model arguments. `inModel` spells what the model may name
 * (constants, the choices class); the migration gets the literal values, as
 * `makemigrations` writes them.
 */
function fieldCall(names: ResourceNames, field: FieldSpec, targets: ReadonlyMap<string, DjangoReferenceTarget>, inModel: boolean): Code {
  const nullable = field.optional ? ['null=True', 'blank=True'] : [];
  const unique = field.unique ? ['unique=True'] : [];
  switch (field.type) {
    case 'str':
      return call('models.CharField', [`max_length=${inModel ? maxLengthConstant(names, field) : field.maxLength}`, ...nullable, ...unique]);
    case 'text':
      return call('models.TextField', [...(field.optional ? nullable : ['blank=True', 'default=""']), ...unique]);
    case 'int':
      return call('models.IntegerField', [...nullable, ...unique]);
    case 'float':
      return call('models.FloatField', [...nullable, ...unique]);
    case 'decimal':
      return call('models.DecimalField', [`max_digits=${field.precision}`, `decimal_places=${field.scale}`, ...nullable, ...unique]);
    case 'bool':
      return call('models.BooleanField', [...(field.optional ? nullable : ['default=False']), ...unique]);
    case 'date':
      return call('models.DateField', [...nullable, ...unique]);
    case 'datetime':
      return call('models.DateTimeField', [...nullable, ...unique]);
    case 'enum': {
      const enumClass = enumClassName(names, field);
      const choices: Code = inModel
        ? `choices=${enumClass}.choices`
        : {
            head: 'choices=',
            open: '[',
            items: field.choices!.map((choice): Code => ({ head: '', open: '(', items: [pyString(choice), pyString(choiceLabel(choice))], close: ')' })),
            close: ']',
          };
      const first = field.choices![0]!;
      const defaults = field.optional ? nullable : [`default=${inModel ? `${enumClass}.${upper(first)}` : pyString(first)}`];
      return call('models.CharField', [`max_length=${enumLength(field)}`, choices, ...defaults, ...unique]);
    }
    case 'ref': {
      const target = targets.get(field.target!)!;
      const reference = `${appLabel(target.module)}.${inModel ? target.model : target.model.toLowerCase()}`;
      // A unique reference is one-to-one; Django warns about ForeignKey(unique=True).
      const kind = field.unique ? 'models.OneToOneField' : 'models.ForeignKey';
      const onDelete = `on_delete=models.${field.optional ? 'SET_NULL' : 'CASCADE'}`;
      // related_name="+": no reverse accessor on the target, so two references to one model never clash.
      return inModel
        ? call(kind, [pyString(reference), onDelete, 'related_name="+"', ...nullable])
        : call(kind, [onDelete, 'related_name="+"', `to=${pyString(reference)}`, ...nullable]);
    }
  }
}

function modelField(names: ResourceNames, field: FieldSpec, targets: ReadonlyMap<string, DjangoReferenceTarget>): string {
  const comments: string[] = [];
  if (field.type === 'ref') {
    const target = humanize(snakeCase(field.target!));
    comments.push(
      field.optional
        ? `# ON DELETE SET NULL: deleting the ${target} keeps these rows.`
        : `# ON DELETE CASCADE: deleting the ${target} deletes these rows too.`,
    );
  }
  if (field.unique) comments.push('# Unique: the database refuses a duplicate, even from two requests racing.');
  return [
    ...comments.map((comment) => `    ${comment}`),
    format(fieldCall(names, field, targets, true), { indent: '    ', prefix: `${field.name} = ` }),
  ].join('\n');
}

/** The owner of an owned resource's rows: the project's user model, deleted with its user. */
const OWNER_MODEL_FIELD = [
  '    # ON DELETE CASCADE: deleting the user deletes their rows. Set from the caller, not the body.',
  '    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")',
].join('\n');

function modelsContext(spec: ResourceSpec, targets: ReadonlyMap<string, DjangoReferenceTarget>, owned: boolean) {
  const { names, fields } = spec;
  return {
    owned,
    constants: fields.filter((field) => field.type === 'str').map((field) => `${maxLengthConstant(names, field)} = ${field.maxLength}`),
    enums: fields
      .filter((field) => field.type === 'enum')
      .map((field) => ({
        className: enumClassName(names, field),
        field: field.name,
        members: field.choices!.map((choice) => `${upper(choice)} = ${pyString(choice)}`),
      })),
    fields: [...(owned ? [OWNER_MODEL_FIELD] : []), ...fields.map((field) => modelField(names, field, targets))],
  };
}

// ------------------------------------------------------------ migration

function migrationContext(spec: ResourceSpec, targets: ReadonlyMap<string, DjangoReferenceTarget>, owned: boolean) {
  const { names, fields } = spec;
  const tuple = (name: string, value: Code): string =>
    format({ head: '', open: '(', items: [pyString(name), value], close: ')' }, { indent: '                ', suffix: ',' });
  const labels = [...new Set(fields.filter((field) => field.type === 'ref').map((field) => appLabel(targets.get(field.target!)!.module)))].sort();
  const dependencies = [
    ...(owned ? ['migrations.swappable_dependency(settings.AUTH_USER_MODEL)'] : []),
    ...labels.map((label) => `(${pyString(label)}, "0001_initial")`),
  ];
  return {
    owned,
    dependencies: dependencies.length === 0 ? '    dependencies = []' : format(
      { head: '', open: '[', items: dependencies, close: ']' },
      { indent: '    ', prefix: 'dependencies = ' },
    ),
    fields: [
      tuple('id', call('models.BigAutoField', ['auto_created=True', 'primary_key=True', 'serialize=False', 'verbose_name="ID"'])),
      ...(owned ? [tuple('owner', call('models.ForeignKey', ['on_delete=models.CASCADE', 'related_name="+"', 'to=settings.AUTH_USER_MODEL']))] : []),
      ...fields.map((field) => tuple(field.name, fieldCall(names, field, targets, false))),
      tuple('created_at', 'models.DateTimeField(auto_now_add=True)'),
      tuple('updated_at', 'models.DateTimeField(auto_now=True)'),
    ],
  };
}

// ------------------------------------------------------------ serializers

/** The serializer field a create accepts for `field` (`update` relaxes it). */
function inputField(names: ResourceNames, field: FieldSpec, mode: 'create' | 'update'): string {
  const args: string[] = [];
  let kind: string;
  switch (field.type) {
    case 'str':
      kind = 'TextField';
      args.push(`max_length=${maxLengthConstant(names, field)}`);
      break;
    case 'text':
      kind = 'TextField';
      args.push(`max_length=${TEXT_MAX_LENGTH.toLocaleString('en').replaceAll(',', '_')}`, 'allow_blank=True', 'trim_whitespace=False');
      break;
    case 'int':
      kind = 'serializers.IntegerField';
      args.push('min_value=-2_147_483_648', 'max_value=2_147_483_647');
      break;
    case 'float':
      kind = 'FiniteFloatField';
      break;
    case 'decimal':
      kind = 'serializers.DecimalField';
      args.push(`max_digits=${field.precision ?? DEFAULT_DECIMAL.precision}`, `decimal_places=${field.scale ?? DEFAULT_DECIMAL.scale}`);
      break;
    case 'bool':
      kind = 'serializers.BooleanField';
      break;
    case 'date':
      kind = 'serializers.DateField';
      break;
    case 'datetime':
      kind = 'AwareDateTimeField';
      break;
    case 'enum':
      kind = 'serializers.ChoiceField';
      args.push(`choices=${enumClassName(names, field)}.choices`);
      break;
    case 'ref':
      kind = 'serializers.IntegerField';
      args.push('min_value=1', 'max_value=MAX_ROW_ID');
      break;
  }
  if (field.optional) args.push('allow_null=True');
  if (mode === 'update') args.push('required=False');
  else if (field.optional) args.push('default=None');
  else if (field.type === 'text') args.push('default=""');
  else if (field.type === 'bool') args.push('default=False');
  else if (field.type === 'enum') args.push(`default=${enumClassName(names, field)}.${upper(field.choices![0]!)}`);
  return format(call(kind, args), { indent: '    ', prefix: `${field.column} = ` });
}

function sortableFields(fields: readonly FieldSpec[]): FieldSpec[] {
  return fields.filter((field) => SORTABLE.has(field.type));
}

function searchField(fields: readonly FieldSpec[]): FieldSpec | undefined {
  return fields.find((field) => field.type === 'str' && !field.optional);
}

function serializersContext(spec: ResourceSpec, packageName: string) {
  const { names, fields } = spec;
  const types = new Set(fields.map((field) => field.type));
  const sortable = sortableFields(fields);
  const search = searchField(fields);
  const refs = fields.filter((field) => field.type === 'ref');
  const filters = fields.filter((field) => FILTERABLE.has(field.type));
  const modelNames = [
    names.className,
    ...fields.filter((field) => field.type === 'str').map((field) => maxLengthConstant(names, field)),
    ...fields.filter((field) => field.type === 'enum').map((field) => enumClassName(names, field)),
  ];
  const usesText = types.has('str') || types.has('text') || search !== undefined;
  const stdlib: ImportStatement[] = [
    ...(types.has('float') ? [{ module: 'math' }] : []),
    ...(types.has('float') || types.has('datetime')
      ? [{ module: 'typing', names: ['Any', ...(types.has('datetime') ? ['ClassVar'] : [])] }]
      : []),
  ];
  const thirdParty: ImportStatement[] = [
    ...(types.has('datetime') ? [{ module: 'django.utils.dateparse', names: ['parse_datetime'] }, { module: 'django_stubs_ext', names: ['StrOrPromise'] }] : []),
    { module: 'rest_framework', names: ['serializers'] },
  ];
  const firstParty: ImportStatement[] = [
    { module: `${packageName}.pagination`, names: ['PageParams'] },
    { module: `${packageName}.${names.plural}.models`, names: modelNames, explode: true },
    { module: `${packageName}.validation`, names: ['StrictSerializer', ...(usesText ? ['TextField'] : [])] },
  ];
  const columns = ['id', ...fields.map((field) => field.column), 'created_at', 'updated_at'];
  const sorts = [...sortable.map((field) => field.column), 'created_at'].flatMap((column) => [pyString(column), pyString(`-${column}`)]);
  const listParams = [
    ...filters.map((field) => {
      const args =
        field.type === 'enum'
          ? [`choices=${enumClassName(names, field)}.choices`, 'required=False']
          : field.type === 'ref'
            ? ['min_value=1', 'max_value=MAX_ROW_ID', 'required=False']
            : ['required=False'];
      const kind = field.type === 'enum' ? 'serializers.ChoiceField' : field.type === 'ref' ? 'serializers.IntegerField' : 'serializers.BooleanField';
      return format(call(kind, args), { indent: '    ', prefix: `${field.column} = ` });
    }),
    ...(search ? ['    q = TextField(min_length=1, max_length=100, required=False)'] : []),
    format(call('serializers.ChoiceField', [`choices=${upper(names.singular)}_SORTS`, `default=${pyString(sortable[0]?.column ?? 'created_at')}`]), {
      indent: '    ',
      prefix: 'sort = ',
    }),
  ];
  return {
    imports: importBlock([stdlib, thirdParty, firstParty]),
    maxRowId: refs.length > 0 ? `MAX_ROW_ID = ${MAX_ROW_ID}` : '',
    sorts: format({ head: '', open: '(', items: sorts, close: ')' }, { prefix: `${upper(names.singular)}_SORTS = ` }),
    float: types.has('float'),
    datetime: types.has('datetime'),
    create: fields.map((field) => inputField(names, field, 'create')),
    update: fields.map((field) => inputField(names, field, 'update')),
    readRefs: refs.map((field) => `    ${field.column} = serializers.IntegerField(read_only=True${field.optional ? ', allow_null=True' : ''})`),
    readFields: format({ head: '', open: '(', items: columns.map(pyString), close: ')' }, { indent: '        ', prefix: 'fields = ' }),
    listParams,
  };
}

// ------------------------------------------------------------ views

function viewsContext(spec: ResourceSpec, packageName: string, targets: ReadonlyMap<string, DjangoReferenceTarget>, owned: boolean) {
  const { names, fields } = spec;
  const model = names.className;
  const refs = fields.filter((field) => field.type === 'ref');
  const unique = fields.filter((field) => field.unique);
  const search = searchField(fields);
  const filters = fields.filter((field) => FILTERABLE.has(field.type));
  const targetModels = [...new Set(refs.map((field) => field.target!))].sort();
  const conflict =
    unique.length === 0
      ? undefined
      : unique.length === 1
        ? `Another ${names.human} already has this ${humanize(unique[0]!.column)}.`
        : `Another ${names.human} already has one of these values.`;
  const thirdParty: ImportStatement[] = [
    { module: 'django.db.models', names: ['F', 'OrderBy', 'QuerySet', ...(refs.length > 0 ? ['Manager'] : [])] },
    { module: 'django.urls', names: ['reverse'] },
    { module: 'drf_spectacular.utils', names: ['extend_schema'] },
    { module: 'rest_framework', names: ['exceptions', 'viewsets'] },
    ...(owned ? [{ module: 'rest_framework.permissions', names: ['IsAuthenticated'] }] : []),
    { module: 'rest_framework.request', names: ['Request'] },
    { module: 'rest_framework.response', names: ['Response'] },
  ];
  const serializers = [`${model}CreateSerializer`, `${model}ListParams`, `${model}ReadSerializer`, `${model}UpdateSerializer`];
  const firstParty: ImportStatement[] = [
    ...(owned ? [{ module: `${packageName}.auth.authentication`, names: ['BearerTokenAuthentication'] }] : []),
    ...(owned ? [{ module: `${packageName}.users.models`, names: ['User'] }] : []),
    ...(conflict ? [{ module: `${packageName}.db.transactions`, names: ['atomic_or_conflict'] }] : []),
    { module: `${packageName}.errors`, names: ['PathValidationError', ...(refs.length > 0 ? ['ConflictError'] : [])] },
    { module: `${packageName}.pagination`, names: ['page_of', 'page_schema'] },
    { module: `${packageName}.${names.plural}.models`, names: [model] },
    { module: `${packageName}.${names.plural}.serializers`, names: serializers, explode: true },
    ...targetModels.map((target) => ({ module: `${packageName}.${targets.get(target)!.module}`, names: [target] })),
    { module: `${packageName}.validation`, names: ['parse_query'] },
  ];
  const filterLines = filters.map((field) => [
    `        if ${pyString(field.column)} in params:`,
    `            rows = rows.filter(${field.column}=params[${pyString(field.column)}])`,
  ]).flat();
  const searchLines = search
    ? ['        if "q" in params:', `            rows = rows.filter(${search.column}__icontains=params["q"])`]
    : [];
  const checks = refs.map((field) =>
    format({ head: '', open: '(', items: [pyString(field.column), `${field.target!}.objects`, pyString(capitalize(humanize(snakeCase(field.target!))))], close: ')' }, {
      indent: '    ',
      suffix: ',',
    }),
  );
  const save = (target: string, code: Code): string[] =>
    conflict
      ? ['        with atomic_or_conflict(CONFLICT):', format(code, { indent: '            ', prefix: target })]
      : [format(code, { indent: '        ', prefix: target })];
  const read = `${model}ReadSerializer`;
  return {
    imports: importBlock([[{ module: 'http', names: ['HTTPStatus'] }, ...(refs.length > 0 ? [{ module: 'typing', names: ['Any'] }] : [])], thirdParty, firstParty]),
    conflict: conflict ? format(pyString(conflict), { prefix: 'CONFLICT = ' }) : '',
    notFound: format(call('raise exceptions.NotFound', [`f"${capitalize(names.human)} {key} does not exist."`]), { indent: '        ' }),
    pageSchema: format(call('page_schema', [pyString(`${model}Page`), `${read}(many=True)`]), { indent: '        ', prefix: 'responses=', suffix: ',' }),
    updateSchema: format(call('@extend_schema', [`request=${model}UpdateSerializer`, `responses=${read}`]), { indent: '    ' }),
    location: format(call('request.build_absolute_uri', [call('reverse', [pyString(`${names.singular}-detail`), `args=[${names.singular}.pk]`])]), {
      indent: '        ',
      prefix: 'location = ',
    }),
    filterLines,
    searchLines,
    checks,
    hasRefs: refs.length > 0,
    owned,
    // The rows a request may see: the caller's own when owned, else all of them.
    rows: owned ? 'owned_by(request)' : `${model}.objects.all()`,
    request: owned ? 'request' : '_request',
    create: save(`${names.singular} = `, call(`${model}.objects.create`, [...(owned ? ['owner=caller(request)'] : []), '**body.validated_data'])),
    update: save('', `${names.singular}.save()`),
  };
}

// ------------------------------------------------------------ admin

function adminContext(spec: ResourceSpec, packageName: string) {
  const { fields, names } = spec;
  const shown = fields.filter((field) => field.type !== 'text').slice(0, 4).map((field) => pyString(field.name));
  const search = searchField(fields);
  const filters = fields.filter((field) => field.type === 'bool' || field.type === 'enum').map((field) => pyString(field.name));
  const tuple = (items: readonly string[]): string => (items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`);
  return {
    import: fromImport(`${packageName}.${names.plural}.models`, [names.className]),
    listDisplay: format({ head: '', open: '(', items: ['"id"', ...shown, '"created_at"'], close: ')' }, { indent: '    ', prefix: 'list_display = ' }),
    searchFields: search ? `    search_fields = (${pyString(search.name)},)` : '',
    listFilter: filters.length > 0 ? `    list_filter = ${tuple(filters)}` : '',
  };
}

export function buildDjangoContext(spec: ResourceSpec, packageName: string, targets: ReadonlyMap<string, DjangoReferenceTarget>, owned: boolean) {
  return {
    route: spec.names.route.slice(1),
    appConfig: `${spec.names.plural.split('_').map(capitalize).join('')}Config`,
    models: modelsContext(spec, targets, owned),
    serializers: serializersContext(spec, packageName),
    views: viewsContext(spec, packageName, targets, owned),
    admin: adminContext(spec, packageName),
    register: format(call('router.register', [pyString(spec.names.route.slice(1)), `${spec.names.className}ViewSet`, `basename=${pyString(spec.names.singular)}`])),
    djangoMigration: migrationContext(spec, targets, owned),
  };
}
