import type { Catalog } from '../catalog/catalog.ts';
import { addCommand } from './add/command.ts';
import { checkCommand } from './check/command.ts';
import type { CommandDefinition, CommandKind, FlagOwner } from './command.ts';
import { createCommand } from './create/command.ts';
import { generateCommand } from './generate/command.ts';
import { listCommand } from './list/command.ts';
import { ownCommand } from './own/command.ts';
import { progressCommand } from './progress/command.ts';
import { updateCommand } from './update/command.ts';

/** Every command, in the order the help lists them; `cli.ts` dispatches from this table. */
export const COMMANDS: { readonly [K in CommandKind]: CommandDefinition<K> } = {
  create: createCommand,
  list: listCommand,
  add: addCommand,
  update: updateCommand,
  check: checkCommand,
  own: ownCommand,
  generate: generateCommand,
  progress: progressCommand,
};

export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandKind[];

/** Every command's flags, to tell a user that the flag they typed belongs to another command. */
export function flagOwners(catalog: Catalog): FlagOwner[] {
  return COMMAND_NAMES.flatMap((name) => COMMANDS[name].flags(catalog));
}
