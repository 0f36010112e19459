import type { AppContext } from '../context.ts';

/** Placeholder until the simulators land: the demo district is seeded here. */
export async function startDemo(ctx: AppContext): Promise<() => Promise<void>> {
  ctx.logger.info('demo mode');
  return async () => undefined;
}
