import type { StepContext } from './context.ts';
import { confirmStep } from './confirm.ts';

export function chooseGit(ctx: StepContext): Promise<boolean> {
  return confirmStep(ctx, ctx.flags.git, 'Initialize a git repository with a first commit?', true);
}
