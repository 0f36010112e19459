import type { FastifyInstance } from 'fastify';
import { SimChangeError } from '../generator/changes.ts';
import type { SimClock } from './clock.ts';
import { FAULT_KINDS, type FaultKind, type FaultRegistry } from './faults.ts';
import type { ProviderName } from './types.ts';

/**
 * `/_control/...`: the JSON test-control API each simulator exposes, so
 * out-of-process tests (E2E, benchmarks, `rollcall sim`) can apply roster
 * changes, inject faults and move the clock. Never faulted, never rate limited.
 */
export interface ControlFacade {
  provider: ProviderName;
  districts(): unknown;
  applyChange(body: Record<string, unknown>): unknown;
  history(): unknown;
  faults: FaultRegistry;
  clock: SimClock;
  logoutAll(): void;
}

export function registerControlRoutes(app: FastifyInstance, facade: ControlFacade): void {
  app.get('/_control/districts', async () => facade.districts());
  app.get('/_control/changes', async () => facade.history());
  app.post('/_control/changes', async (req, reply) => {
    try {
      return facade.applyChange((req.body ?? {}) as Record<string, unknown>);
    } catch (err) {
      if (err instanceof SimChangeError) return reply.code(err.status).send({ error: err.message });
      throw err;
    }
  });
  app.get('/_control/faults', async () => ({ revoked: facade.faults.revoked, faults: facade.faults.active() }));
  app.post('/_control/faults', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const fault = body['fault'];
    if (typeof fault !== 'string' || !FAULT_KINDS.includes(fault as FaultKind)) {
      return reply.code(400).send({ error: `fault must be one of ${FAULT_KINDS.join(', ')}` });
    }
    const num = (k: string) => (typeof body[k] === 'number' ? (body[k] as number) : undefined);
    facade.faults.inject(fault as FaultKind, {
      ...(num('count') !== undefined ? { count: num('count') } : {}),
      ...(typeof body['pathPrefix'] === 'string' ? { pathPrefix: body['pathPrefix'] } : {}),
      ...(num('delayMs') !== undefined ? { delayMs: num('delayMs') } : {}),
      ...(num('retryAfterSeconds') !== undefined ? { retryAfterSeconds: num('retryAfterSeconds') } : {}),
    });
    return { revoked: facade.faults.revoked, faults: facade.faults.active() };
  });
  app.delete('/_control/faults', async () => {
    facade.faults.clear();
    return { revoked: false, faults: [] };
  });
  app.post('/_control/faults/restore', async () => {
    facade.faults.restore();
    return { revoked: false, faults: facade.faults.active() };
  });
  app.post('/_control/clock', async (req) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body['advanceMs'] === 'number') facade.clock.advance(body['advanceMs']);
    return { now: facade.clock.now().toISOString() };
  });
  app.get('/_control/clock', async () => ({ now: facade.clock.now().toISOString() }));
  app.post('/_control/logout-all', async () => {
    facade.logoutAll();
    return { ok: true };
  });
}
