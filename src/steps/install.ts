import type { CreateFlags } from '../options.ts';
import type { StepContext } from './context.ts';
import { confirmStep } from './confirm.ts';

export function chooseInstall(ctx: StepContext<CreateFlags>): Promise<boolean> {
  return confirmStep(ctx, ctx.flags.install, 'Install dependencies now (uv sync)?', true);
}
