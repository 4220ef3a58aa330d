/**
 * `npm run create ../x --yes` (without `--`) hands `--yes` to npm, not to the
 * script: npm keeps every flag before `--` as its own configuration and passes
 * on only the rest. The script then runs without the flag the user typed, which
 * for `--dry-run` means writing what was only to be shown. npm leaves a trace:
 * inside `npm run` it sets `npm_command` (`run`; `run-script` before npm 10)
 * and `npm_lifecycle_event` (the script's name), and every flag it kept becomes
 * `npm_config_<name>`: `true`, or `false` for `--no-<name>` (a flag that takes a
 * value becomes `true` too, and its value one more positional argument). npm
 * rewrites its process title without the flags, so the environment is the only
 * signal there is; `npx` sets `npm_command=exec` and passes every flag on.
 */

export interface LostFlags {
  /** The flags npm kept, as the user typed them: `--yes`, `--no-git`, `--milestone`. */
  readonly flags: readonly string[];
  /** The npm script that ran us: `create`. */
  readonly script: string;
  /** The same arguments with `--` in front, when they can be put back exactly (no lost flag took a value). */
  readonly corrected?: readonly string[];
}

/**
 * Flags of ours that npm kept for itself. `booleans` and `valued` are our flag
 * names without dashes (`no-` forms among the booleans); `argv` is what reached us.
 */
export function flagsLostToNpm(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  booleans: readonly string[],
  valued: readonly string[],
): LostFlags | undefined {
  const script = env['npm_lifecycle_event'];
  if (!script || (env['npm_command'] !== 'run' && env['npm_command'] !== 'run-script')) return undefined;
  const given = new Set(argv.filter((arg) => arg.startsWith('--')).map((arg) => arg.slice(2).split('=')[0]));
  if (argv.includes('-y')) given.add('yes');
  const lost: string[] = [];
  let tookValue = false;
  for (const flag of [...booleans, ...valued]) {
    if (flag.startsWith('no-') || given.has(flag) || given.has(`no-${flag}`)) continue;
    const value = env[`npm_config_${flag.replaceAll('-', '_')}`];
    if (value === 'true') {
      lost.push(`--${flag}`);
      if (valued.includes(flag)) tookValue = true;
    } else if (value === 'false' && booleans.includes(`no-${flag}`)) {
      lost.push(`--no-${flag}`);
    }
  }
  if (lost.length === 0) return undefined;
  return { flags: lost, script, ...(tookValue ? {} : { corrected: [...argv, ...lost] }) };
}
