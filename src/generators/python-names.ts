/**
 * Words a generated Python name must not be, and the one place names of a
 * resource are derived from the class name the user typed (`InvoiceLine` →
 * `invoice_line`, `invoice_lines`, `/invoice-lines`, "invoice line").
 */

/** Python 3.11's keywords and soft keywords (3.12 adds `type`, which is a builtin below anyway). */
export const PYTHON_KEYWORDS: ReadonlySet<string> = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue',
  'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in',
  'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with',
  'yield', '_', 'case', 'match', 'type',
]);

/** `dir(builtins)` of Python 3.11, without the dunder names. A module-level name must not shadow one (ruff A001). */
export const PYTHON_BUILTINS: ReadonlySet<string> = new Set([
  'ArithmeticError', 'AssertionError', 'AttributeError', 'BaseException', 'BaseExceptionGroup',
  'BlockingIOError', 'BrokenPipeError', 'BufferError', 'BytesWarning', 'ChildProcessError',
  'ConnectionAbortedError', 'ConnectionError', 'ConnectionRefusedError', 'ConnectionResetError',
  'DeprecationWarning', 'EOFError', 'Ellipsis', 'EncodingWarning', 'EnvironmentError', 'Exception',
  'ExceptionGroup', 'False', 'FileExistsError', 'FileNotFoundError', 'FloatingPointError',
  'FutureWarning', 'GeneratorExit', 'IOError', 'ImportError', 'ImportWarning', 'IndentationError',
  'IndexError', 'InterruptedError', 'IsADirectoryError', 'KeyError', 'KeyboardInterrupt',
  'LookupError', 'MemoryError', 'ModuleNotFoundError', 'NameError', 'None', 'NotADirectoryError',
  'NotImplemented', 'NotImplementedError', 'OSError', 'OverflowError', 'PendingDeprecationWarning',
  'PermissionError', 'ProcessLookupError', 'RecursionError', 'ReferenceError', 'ResourceWarning',
  'RuntimeError', 'RuntimeWarning', 'StopAsyncIteration', 'StopIteration', 'SyntaxError',
  'SyntaxWarning', 'SystemError', 'SystemExit', 'TabError', 'TimeoutError', 'True', 'TypeError',
  'UnboundLocalError', 'UnicodeDecodeError', 'UnicodeEncodeError', 'UnicodeError',
  'UnicodeTranslateError', 'UnicodeWarning', 'UserWarning', 'ValueError', 'Warning',
  'ZeroDivisionError', 'abs', 'aiter', 'all', 'anext', 'any', 'ascii', 'bin', 'bool', 'breakpoint',
  'bytearray', 'bytes', 'callable', 'chr', 'classmethod', 'compile', 'complex', 'copyright',
  'credits', 'delattr', 'dict', 'dir', 'divmod', 'enumerate', 'eval', 'exec', 'exit', 'filter',
  'float', 'format', 'frozenset', 'getattr', 'globals', 'hasattr', 'hash', 'help', 'hex', 'id',
  'input', 'int', 'isinstance', 'issubclass', 'iter', 'len', 'license', 'list', 'locals', 'map',
  'max', 'memoryview', 'min', 'next', 'object', 'oct', 'open', 'ord', 'pow', 'print', 'property',
  'quit', 'range', 'repr', 'reversed', 'round', 'set', 'setattr', 'slice', 'sorted',
  'staticmethod', 'str', 'sum', 'super', 'tuple', 'type', 'vars', 'zip',
]);

/**
 * Builtin types and decorators the generated classes use in their own bodies
 * (`Mapped[int]`, `@classmethod`...). A field with one of these names would
 * shadow it inside the class (ruff A003), so they are refused as field names;
 * other builtin names (`format`, `hash`, `max`) are fine as attributes.
 */
export const BUILTINS_USED_IN_CLASSES: ReadonlySet<string> = new Set([
  'bool', 'bytearray', 'bytes', 'classmethod', 'complex', 'dict', 'float', 'frozenset', 'int',
  'list', 'memoryview', 'object', 'property', 'range', 'set', 'slice', 'staticmethod', 'str',
  'super', 'tuple', 'type',
]);

/**
 * PostgreSQL's reserved key words (fully reserved, and reserved except as a
 * function or type name), plus the SQL verbs SQLite reserves. SQLAlchemy would
 * quote them, but a column named `order` or `user` has to be quoted in every
 * query anyone writes by hand, forever; a clearer name is cheaper.
 */
export const SQL_RESERVED_WORDS: ReadonlySet<string> = new Set([
  'add', 'all', 'alter', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric',
  'authorization', 'between', 'binary', 'both', 'by', 'case', 'cast', 'check', 'collate',
  'collation', 'column', 'concurrently', 'constraint', 'create', 'cross', 'current_catalog',
  'current_date', 'current_role', 'current_schema', 'current_time', 'current_timestamp',
  'current_user', 'default', 'deferrable', 'delete', 'desc', 'distinct', 'do', 'drop', 'else', 'end',
  'except', 'exists', 'false', 'fetch', 'for', 'foreign', 'freeze', 'from', 'full', 'grant', 'group',
  'having', 'ilike', 'in', 'index', 'initially', 'inner', 'insert', 'intersect', 'into', 'is',
  'isnull', 'join', 'lateral', 'leading', 'left', 'like', 'limit', 'localtime', 'localtimestamp',
  'natural', 'not', 'notnull', 'null', 'offset', 'on', 'only', 'or', 'order', 'outer', 'overlaps',
  'placing', 'primary', 'references', 'returning', 'right', 'select', 'session_user', 'similar',
  'some', 'symmetric', 'system_user', 'table', 'tablesample', 'then', 'to', 'trailing', 'true',
  'union', 'unique', 'update', 'user', 'using', 'values', 'variadic', 'verbose', 'when', 'where',
  'window', 'with',
]);

/**
 * Attribute names that pydantic's `BaseModel` or SQLAlchemy's declarative
 * classes already use: a field named like one would break the schema or the
 * model in ways that only show up at run time.
 */
export const FRAMEWORK_ATTRIBUTES: ReadonlySet<string> = new Set([
  'construct', 'copy', 'dict', 'fields', 'from_orm', 'json', 'metadata', 'parse_file', 'parse_obj',
  'parse_raw', 'query', 'registry', 'schema', 'schema_json', 'update_forward_refs', 'validate',
]);

/** PascalCase → snake_case: `InvoiceLine` → `invoice_line`, `HTTPLog` → `http_log`, `Item2` → `item2`. */
export function snakeCase(pascal: string): string {
  return pascal
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** snake_case → PascalCase: `issued_on` → `IssuedOn`. */
export function pascalCase(snake: string): string {
  return snake
    .split('_')
    .filter((part) => part !== '')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/**
 * English plural of the last word of a snake_case name, by the regular rules
 * only (`category` → `categories`, `box` → `boxes`, `invoice_line` →
 * `invoice_lines`). Irregular words (`person`) get `--plural`.
 */
export function pluralize(snake: string): string {
  const match = /^(.*?)([a-z0-9]*)$/.exec(snake);
  const head = match?.[1] ?? '';
  const word = match?.[2] ?? snake;
  if (/[^aeiou]y$/.test(word)) return `${head}${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${head}${word}es`;
  return `${head}${word}s`;
}

/** `invoice_line` → "invoice line": for docstrings and messages. */
export function humanize(snake: string): string {
  return snake.replaceAll('_', ' ');
}

/** "invoice line" → "Invoice line": the start of a sentence. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
