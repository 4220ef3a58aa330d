import { describe, expect, it } from 'vitest';
import { pluralize, snakeCase } from '../../src/generators/python-names.ts';
import { format, call, fromImport, importBlock } from '../../src/generators/python-format.ts';
import {
  crossCheck,
  formatFields,
  parseFields,
  parseResourceNames,
  splitFieldList,
} from '../../src/generators/resource/spec.ts';

function problems(fields: string): string[] {
  return [...parseFields(fields).problems];
}

describe('--fields', () => {
  it('splits on the commas outside parentheses', () => {
    expect(splitFieldList(' total:decimal(10, 2) ,status:enum(a|b), paid:bool ,')).toEqual([
      'total:decimal(10, 2)',
      'status:enum(a|b)',
      'paid:bool',
    ]);
  });

  it('parses every type, the arguments and the modifiers', () => {
    const { value, problems: found } = parseFields(
      'number:str(40):unique,notes:text:optional,qty:int,weight:float,total:decimal(10,2),paid:bool,due:date,sent_at:datetime:unique:optional,status:enum(draft|sent),customer:ref(Customer):optional,owner_id:ref(Project)',
    );
    expect(found).toEqual([]);
    expect(value).toEqual([
      { name: 'number', column: 'number', type: 'str', optional: false, unique: true, maxLength: 40 },
      { name: 'notes', column: 'notes', type: 'text', optional: true, unique: false },
      { name: 'qty', column: 'qty', type: 'int', optional: false, unique: false },
      { name: 'weight', column: 'weight', type: 'float', optional: false, unique: false },
      { name: 'total', column: 'total', type: 'decimal', optional: false, unique: false, precision: 10, scale: 2 },
      { name: 'paid', column: 'paid', type: 'bool', optional: false, unique: false },
      { name: 'due', column: 'due', type: 'date', optional: false, unique: false },
      { name: 'sent_at', column: 'sent_at', type: 'datetime', optional: true, unique: true },
      { name: 'status', column: 'status', type: 'enum', optional: false, unique: false, choices: ['draft', 'sent'] },
      { name: 'customer', column: 'customer_id', type: 'ref', optional: true, unique: false, target: 'Customer' },
      { name: 'owner_id', column: 'owner_id', type: 'ref', optional: false, unique: false, target: 'Project' },
    ]);
  });

  it('defaults str to 200 characters and decimal to (12, 2), and writes fields back in the same syntax', () => {
    const { value } = parseFields('title:str,price:decimal,rate:decimal(5)');
    expect(value?.map((field) => [field.maxLength, field.precision, field.scale])).toEqual([
      [200, undefined, undefined],
      [undefined, 12, 2],
      [undefined, 5, 0],
    ]);
    const text = 'number:str(40):unique,price:decimal,rate:decimal(5,0),status:enum(a|b):optional,customer:ref(Customer)';
    expect(formatFields(parseFields(text).value!)).toBe(text);
  });

  it.each([
    ['an unknown type', 'total:money', /unknown type "money"; valid types: str, text, int/],
    ['no type', 'total', /expected name:type/],
    ['a keyword', 'class:str', /"class": it is a Python keyword/],
    ['a soft keyword', 'match:str', /Python keyword/],
    ['a base column', 'id:int', /every resource already has it/],
    ['a timestamp column', 'created_at:datetime', /every resource already has it/],
    ['a list parameter', 'page:int', /query parameter/],
    ['an SQL reserved word', 'order:int', /reserved word in SQL/],
    ['a builtin the classes use', 'str:str', /shadow a Python builtin/],
    ['a pydantic attribute', 'model_name:str', /pydantic or SQLAlchemy/],
    ['a SQLAlchemy attribute', 'metadata:text', /pydantic or SQLAlchemy/],
    ['CamelCase', 'dueDate:date', /snake_case/],
    ['a leading digit', '2nd:str', /snake_case/],
    ['a double underscore', 'a__b:str', /double or trailing underscores/],
    ['a name too long', `${'x'.repeat(21)}:str`, /at most 20 characters/],
    ['a repeated name', 'a:str,a:int', /"a" is also used by field "a"/],
    ['a ref column that collides', 'customer:ref(Customer),customer_id:int', /"customer_id" is also used/],
    ['an unknown modifier', 'a:str:required', /unknown or repeated modifier "required"/],
    ['a repeated modifier', 'a:str:unique:unique', /unknown or repeated modifier "unique"/],
    ['a unique text', 'a:text:unique', /text cannot be unique/],
    ['a unique bool', 'a:bool:unique', /bool cannot be unique/],
    ['a str too short', 'a:str(3)', /between 4 and 1000/],
    ['a str length that is not a number', 'a:str(x)', /str\(N\) takes a length/],
    ['a decimal with more places than digits', 'a:decimal(4,5)', /S <= P/],
    ['a decimal too wide', 'a:decimal(39,2)', /3 <= P <= 38/],
    ['an enum without values', 'a:enum', /enum needs its values/],
    ['an enum with one value', 'a:enum(only)', /between 2 and 30 values/],
    ['an enum with a bad value', 'a:enum(Draft|sent)', /snake_case words.*"Draft"/],
    ['an enum with a repeated value', 'a:enum(x|x)', /different from each other/],
    ['a ref without a model', 'a:ref()', /ref needs the model class/],
    ['a ref to a lowercase name', 'a:ref(customer)', /ref needs the model class/],
    ['arguments on a type that takes none', 'a:int(4)', /int takes no arguments/],
  ])('refuses %s', (_name, fields, message) => {
    expect(problems(fields).join('\n')).toMatch(message);
  });

  it('collects every problem at once', () => {
    expect(problems('id:int,select:str,total:money')).toHaveLength(3);
    expect(problems('')).toEqual(['--fields is empty: give at least one name:type, e.g. --fields title:str,done:bool']);
  });
});

describe('resource names', () => {
  it('derives the module, table, route and prose names from the class name', () => {
    expect(parseResourceNames('InvoiceLine').value).toEqual({
      className: 'InvoiceLine',
      singular: 'invoice_line',
      plural: 'invoice_lines',
      route: '/invoice-lines',
      human: 'invoice line',
      humanPlural: 'invoice lines',
    });
    expect(snakeCase('HTTPLogEntry')).toBe('http_log_entry');
    expect(snakeCase('Item2')).toBe('item2');
    expect(['category', 'box', 'batch', 'day', 'invoice_line'].map(pluralize)).toEqual([
      'categories',
      'boxes',
      'batches',
      'days',
      'invoice_lines',
    ]);
    expect(parseResourceNames('Person', 'people').value?.plural).toBe('people');
  });

  it.each([
    ['lowercase', 'invoice', /PascalCase/],
    ['a symbol', 'Invoice-Line', /PascalCase/],
    ['a keyword', 'None', /Python keyword/],
    ['a builtin', 'Exception', /Python builtin/],
    ['a name the generated modules import', 'Page', /already import or define/],
    ['too long', 'A'.repeat(21), /at most 20 characters/],
    ['a builtin as its snake_case name', 'List', /"list" would shadow a Python builtin/],
    ['an SQL word as its snake_case name', 'User', /"user" is a reserved word in SQL/],
  ])('refuses %s', (_name, name, message) => {
    expect(parseResourceNames(name).problems.join('\n')).toMatch(message);
  });

  it('refuses a plural that is the singular', () => {
    expect(parseResourceNames('Sheep', 'sheep').problems.join('\n')).toMatch(/same singular and plural \(sheep\); pass --plural/);
  });

  it('refuses a --plural that is not snake_case', () => {
    expect(parseResourceNames('Person', 'People').problems.join('\n')).toMatch(/--plural "People": use snake_case/);
  });

  it('refuses generated names that collide, and constraint names PostgreSQL would cut', () => {
    const names = parseResourceNames('Invoice').value!;
    const fields = parseFields('read:str,status:enum(a|b),customer:ref(Customer)').value!;
    const found = crossCheck(names, fields, new Set(['Customer']), () => 'customers');
    expect(found.join('\n')).toMatch(/field "read": its generated name InvoiceRead collides with a generated class/);
    const long = parseResourceNames('Abcdefghijklmnopqrst', 'abcdefghijklmnopqrstuvwxyz').value!;
    const refs = parseFields(`${'x'.repeat(20)}:ref(Customer)`).value!;
    expect(crossCheck(long, refs, new Set(['Customer']), () => 'customers_of_a_long_name').join('\n')).toMatch(
      /fk_abcdefghijklmnopqrstuvwxyz_x{20}_id_customers_of_a_long_name would be longer than PostgreSQL's 63 characters/,
    );
    const sorts = parseFields('price:int,price_desc:int').value!;
    expect(crossCheck(names, sorts, new Set(), () => undefined).join('\n')).toMatch(/same sort option PRICE_DESC/);
  });
});

describe('laying out Python like ruff format', () => {
  it('keeps what fits on one line and explodes the rest with trailing commas', () => {
    expect(format(call('f', ['a', 'b']), { prefix: 'x = ' })).toBe('x = f(a, b)');
    const long = format(call('mapped_column', [call('ForeignKey', ['"a_table_with_a_long_name.id"', 'ondelete="CASCADE"']), 'index=True']), {
      indent: '    ',
      prefix: 'a_rather_long_column_name_id: Mapped[int | None] = ',
    });
    expect(long).toBe(
      [
        '    a_rather_long_column_name_id: Mapped[int | None] = mapped_column(',
        '        ForeignKey("a_table_with_a_long_name.id", ondelete="CASCADE"),',
        '        index=True,',
        '    )',
      ].join('\n'),
    );
  });

  it('sorts imports the way ruff isort does', () => {
    expect(fromImport('pydantic', ['field_validator', 'BaseModel', 'ConfigDict'])).toBe('from pydantic import BaseModel, ConfigDict, field_validator');
    expect(fromImport('shop.validation', ['SearchText', 'STORABLE_TEXT'])).toBe('from shop.validation import STORABLE_TEXT, SearchText');
    expect(fromImport('shop.x.schemas', ['XRead', 'XCreate'], { explode: true })).toBe('from shop.x.schemas import (\n    XCreate,\n    XRead,\n)');
    expect(
      importBlock([
        [{ module: 'typing', names: ['Any'] }, { module: 'itertools' }, { module: 'datetime', names: ['date'] }],
        [{ module: 'sqlalchemy.orm', names: ['Session'] }, { module: 'pytest' }],
        [],
      ]),
    ).toBe('import itertools\nfrom datetime import date\nfrom typing import Any\n\nimport pytest\nfrom sqlalchemy.orm import Session');
  });
});
