import type { Catalog } from '../../catalog/catalog.ts';
import { ExitCode, usageError } from '../../errors.ts';
import type { Command } from '../../options.ts';
import { PACKAGE_NAME } from '../../paths.ts';
import { didYouMean } from '../../suggest.ts';
import { GENERATOR_FLAGS, GENERATOR_IDS, isGeneratorId } from '../../generators/ids.ts';
import { COMMON_FLAGS, helpOrVersion, parseOrExplain, type CommandDefinition, type ParseContext } from '../command.ts';

/** `generate <generator> [name] [flags]`. */
function parseGenerate(args: string[], ctx: ParseContext): Command {
  const kindIndex = args.findIndex((arg) => !arg.startsWith('-'));
  const kind = kindIndex < 0 ? undefined : args[kindIndex];
  if (kind === undefined) {
    const { values } = parseOrExplain(args, { ...COMMON_FLAGS }, 'generate', ctx);
    const early = helpOrVersion(values, 'generate');
    if (early) return early;
    throw usageError('generate needs what to generate: resource or task.', [
      `Usage: ${PACKAGE_NAME} generate resource <Name> --fields name:type,...`,
      `       ${PACKAGE_NAME} generate task <name> [--trigger]`,
    ]);
  }
  if (!isGeneratorId(kind)) {
    throw usageError(`Unknown generator "${kind}".`, [...didYouMean(kind, GENERATOR_IDS), `Valid generators: ${GENERATOR_IDS.join(', ')}`]);
  }
  const generator = kind;
  const rest = [...args.slice(0, kindIndex), ...args.slice(kindIndex + 1)];
  const { values, positionals } = parseOrExplain(rest, { ...COMMON_FLAGS, ...GENERATOR_FLAGS[generator] }, `generate ${generator}`, ctx);
  const early = helpOrVersion(values, 'generate');
  if (early) return early;
  if (positionals.length > 1) {
    throw usageError(`generate ${generator} takes one name; got: ${positionals.join(' ')}`, ['Quote the --fields value if it contains spaces.']);
  }
  const text = (key: string): string | undefined => {
    const value = values[key];
    const joined = Array.isArray(value) ? value.join(',') : value;
    if (typeof joined !== 'string') return undefined;
    if (joined.trim() === '') throw usageError(`--${key} needs a value.`);
    return joined.trim();
  };
  const dir = text('dir');
  const fields = text('fields');
  const plural = text('plural');
  const name = positionals[0]?.trim();
  if (name === '') throw usageError(`The ${generator} name is empty.`);
  if (values['trigger'] && values['no-trigger']) throw usageError('--trigger and --no-trigger contradict each other.');
  const trigger = values['trigger'] ? true : values['no-trigger'] ? false : undefined;
  return {
    kind: 'generate',
    flags: {
      kind: generator,
      dryRun: values['dry-run'] === true,
      yes: values['yes'] === true,
      json: values['json'] === true,
      ...(dir !== undefined ? { dir } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(fields !== undefined ? { fields } : {}),
      ...(plural !== undefined ? { plural } : {}),
      ...(values['public'] === true ? { public: true } : {}),
      ...(trigger !== undefined ? { trigger } : {}),
    },
  };
}


const GENERATE_HELP = `Usage: ${PACKAGE_NAME} generate resource <Name> --fields name:type,... [options]
       ${PACKAGE_NAME} generate task <name> [--trigger] [options]

Inside a generated project, adds code that follows the project's own style and
passes its gates: the new files, the lines that register them (at the marker
comments of routes.py and db/models.py), and a record in .roadmap-project.json,
so \`update\` keeps them and \`check\` does not call them drift.

generate resource <Name>   (needs the db feature, e.g. the crud-db milestone)
  A model, create/update/read schemas, a repository, a service, a router under
  /api/v1/<names>, an Alembic migration, and tests. Name is a PascalCase class
  name (Invoice, InvoiceLine); the table, module and URL use its plural.
  --fields SPEC      name:type pairs, comma-separated, e.g.
                       number:str:unique,total:decimal(10,2),paid:bool,
                       status:enum(draft|sent|paid),customer:ref(Customer):optional
                     types: str, str(N), text, int, float, decimal, decimal(P,S),
                       bool, date, datetime, enum(a|b|c), ref(Model)
                     modifiers: :optional (nullable, may be left out), :unique
                     ref(Model) points at Project, Task or a generated resource;
                       the column is <name>_id, ON DELETE CASCADE (SET NULL
                       when optional)
  --plural NAME      the plural when the English rules get it wrong (people)
  --public           in a project with the auth feature, rows anyone may read
                     and change without signing in; without it, every route
                     needs a signed-in user and each user sees only their own
                     rows (like notes)

generate task <name>       (needs the jobs feature, e.g. background-jobs)
  src/<pkg>/<name>/: the job's parameters, its work run through the job ledger
  (retries, idempotency), a Celery task named <name>.run listed in TASK_MODULES,
  a service that queues it, and tests that run it on a real worker. name is
  snake_case, e.g. send_reminders.
  --trigger          also POST /api/v1/<name>: queues a job, answers 202
  --no-trigger       no endpoint (a terminal asks when neither is given)

Common options
  --dir DIR          the project (default: the current directory, or the nearest one above)
  --dry-run          print what would be added and changed; write nothing
  -y, --yes          never ask; a missing answer is exit 2
  --json             print one JSON report on stdout (never asks)

Without a terminal nothing is asked: pass the name (and --fields for a
resource; a task gets no endpoint without --trigger). A name that
exists (model, table, route, module) or is invalid is refused (exit 2), and
nothing is written. Writes are atomic: an error or Ctrl-C leaves the project
as it was.

Exit codes
  0    done
  1    failed; the project is exactly as it was
  2    bad usage or bad input (invalid or taken name, unknown field type,
       ref to a missing model, not inside a project, missing feature)
  130  interrupted; the project is exactly as it was
`;


export const generateCommand: CommandDefinition<'generate'> = {
  name: 'generate',
  flags: () => GENERATOR_IDS.map((id) => [`generate ${id}`, GENERATOR_FLAGS[id]] as const),
  help: (_catalog: Catalog) => GENERATE_HELP,
  parse: parseGenerate,
  async run(io, flags, catalog) {
    const { runGenerate } = await import('./run.ts');
    return { report: await runGenerate(io, flags, catalog), exitCode: ExitCode.ok };
  },
};
