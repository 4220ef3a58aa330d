import type { StepContext } from './context.ts';

/** A yes/no answer: the flag if given, a question on a terminal, else the default. */
export async function confirmStep(
  ctx: StepContext,
  flag: boolean | undefined,
  message: string,
  defaultValue: boolean,
): Promise<boolean> {
  if (flag !== undefined) return flag;
  if (!ctx.interactive) return defaultValue;
  return Boolean(await ctx.io.prompt({ type: 'confirm', message, initial: defaultValue }));
}
