import type { CreateFlags } from '../options.ts';
import type { StepContext } from './context.ts';
import { confirmStep } from './confirm.ts';

export function chooseGit(ctx: StepContext<CreateFlags>): Promise<boolean> {
  return confirmStep(ctx, ctx.flags.git, 'Initialize a git repository with a first commit?', true);
}
