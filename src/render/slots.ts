/**
 * Named places in shared files where features add their part: a feature puts
 * `_slots/<name>.hbs` in its template folder, and the file that owns the slot
 * renders every contribution, in feature order, with `{{> slot/<name>}}` on a
 * line of its own (Handlebars then indents each contributed line to match and
 * drops the line entirely when nothing was contributed).
 *
 * A contribution to a slot not listed here is an error, so a typo cannot
 * silently drop content. Order-sensitive Python (imports) does not go through
 * slots: it is generated from registry data, sorted.
 */
export const SLOT_NAMES = [
  /** Tables under [project] in pyproject.toml, such as [project.scripts]. */
  'pyproject-project',
  /** Extra `[tool.*]` tables at the end of pyproject.toml. */
  'pyproject-tool',
  /** Extra keys of `[tool.mypy]` (plugins). */
  'pyproject-mypy',
  /** Extra `[[tool.mypy.overrides]]` entries. */
  'pyproject-mypy-overrides',
  /** Extra keys of `[tool.coverage.run]` (patch, to measure subprocesses). */
  'pyproject-coverage-run',
  /** Keys of `[tool.pytest.ini_options]` (pytest-django's `DJANGO_SETTINGS_MODULE`, say). */
  'pyproject-pytest',
  /** Steps after `make install` in the README quickstart. */
  'readme-quickstart',
  /** Whole README sections (architecture, API, design decisions...). */
  'readme-sections',
  /** README "Project layout": entries inside the package (`- \`module.py\`: ...`), listed under it. */
  'readme-layout-package',
  /** README "Project layout": top-level entries (`- \`folder/\`: ...`). */
  'readme-layout',
  /** Extra commands of `make lint` (hadolint, actionlint...), one per line, each run through `$(RUN)`. */
  'makefile-lint',
  /** Makefile targets beyond the base ones. */
  'makefile-targets',
  /** Extra commands of `make clean`: the feature's own generated output (test reports, example databases). */
  'makefile-clean',
  /**
   * Tables of schemathesis.toml (api feature), mostly `[[operations]]`: an operation with a
   * rule between two fields, which JSON Schema cannot state, and which may answer 422 to a
   * request its schema allows. Each starts with a blank line and a comment saying why.
   */
  'schemathesis-operations',
  /** Variables in .env.example. */
  'env-example',
  /** Lines of .gitignore. */
  'gitignore',
  /** Hooks appended to the local repo of .pre-commit-config.yaml. */
  'precommit-hooks',
  /**
   * Fields of the api feature's `Settings` class (settings.py), one per environment
   * variable, with a comment. Only types settings.py already imports: builtins,
   * `Literal`, `Field` (and `SecretStr` in projects with a secret key).
   */
  'settings-fields',
  /**
   * Whole jobs appended to the `jobs:` map of the GitHub Actions workflow (ci feature),
   * written with their two-space indentation (the slot line is at column 0 so that
   * blank lines stay empty); the deploy feature adds its `deploy` job here.
   */
  'ci-github-jobs',
  /** Whole jobs appended to `.gitlab-ci.yml` (ci feature); the deploy feature adds its `deploy` job here. */
  'ci-gitlab-jobs',
] as const;

export type SlotName = (typeof SLOT_NAMES)[number];

export function isSlotName(name: string): name is SlotName {
  return (SLOT_NAMES as readonly string[]).includes(name);
}
