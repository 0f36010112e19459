import type { Store } from '../../db/store.ts';
import { notFound } from '../../lib/errors.ts';
import type { Actor } from '../accounts/accounts.types.ts';
import type { Integration } from '../integrations/integrations.types.ts';
import type { ImportedCounts, RunRow } from './consoles.repository.ts';
import { districtPolicy } from './diagnostics.policy.ts';
import { countsSummary, durationMs, explainRun, pendingArchives, pendingRemovals } from './run-text.ts';

export interface SharedCounts {
  readonly schools: number;
  readonly teachers: number;
  readonly sections: number;
  readonly students: number;
  /** When the last successful Test connection counted them. */
  readonly at: Date | null;
}

export interface RunView extends RunRow {
  readonly provider: Integration['provider'] | null;
  readonly durationMs: number | null;
  readonly summary: string;
  readonly explanation: string | null;
}

export interface HeldRunView extends RunView {
  readonly pendingRemovals: { readonly userId: string; readonly name: string | null; readonly classId: string | null; readonly className: string | null }[];
  readonly pendingArchives: { readonly classId: string; readonly className: string | null }[];
}

export interface IntegrationConsole {
  readonly integration: Integration;
  /** What the provider shares, from the last successful Test connection (null: never tested OK). */
  readonly shared: SharedCounts | null;
  readonly imported: ImportedCounts;
  readonly lastDelta: RunView | null;
  readonly lastFull: RunView | null;
}

export interface DistrictConsole {
  readonly district: { readonly id: string; readonly name: string };
  readonly integrations: IntegrationConsole[];
  readonly runs: RunView[];
  readonly held: HeldRunView[];
  /** Problems to look at: integrations needing attention and recent failed runs, explained. */
  readonly problems: { readonly integrationId: string; readonly provider: Integration['provider']; readonly at: Date | null; readonly message: string }[];
  readonly abilities: { readonly decideHolds: boolean; readonly testConnections: boolean };
}

function sharedFrom(integration: Integration): SharedCounts | null {
  const r = integration.lastTestResult as { ok?: unknown; report?: Record<string, unknown> } | null;
  if (!r || r.ok !== true || !r.report) return null;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return { schools: n(r.report.schools), teachers: n(r.report.teachers), sections: n(r.report.sections), students: n(r.report.students), at: integration.lastTestAt };
}

/** District IT's console: connections, what was shared and imported, recent syncs, held runs, problems. */
export class DistrictConsoleService {
  constructor(private readonly deps: { store: Store }) {}

  async get(actor: Actor, districtId: string): Promise<DistrictConsole> {
    const { store } = this.deps;
    if (!districtPolicy.canView(actor, districtId)) throw notFound('District');
    const district = await store.districts.findById(districtId);
    if (!district) throw notFound('District');
    const integrations = await store.integrations.list({ districtIds: [district.id] });
    const ids = integrations.map((i) => i.id);
    const [recent, heldRows, imported] = await Promise.all([
      store.consoles.recentRuns(ids, 50),
      store.consoles.heldRuns(ids),
      Promise.all(integrations.map((i) => store.consoles.importedCounts(i))),
    ]);
    const providerOf = new Map(integrations.map((i) => [i.id, i.provider]));
    const view = (r: RunRow): RunView => ({
      ...r,
      provider: (r.integrationId && providerOf.get(r.integrationId)) || null,
      durationMs: durationMs(r.startedAt, r.finishedAt),
      summary: countsSummary(r.counts),
      explanation: explainRun(r),
    });
    const runs = recent.map(view);
    // Names for the review, capped: a misconfigured provider can hold thousands.
    const removalsOf = (r: RunRow) => pendingRemovals(r.details).map((p) => ({ ...p, classId: p.classId ?? r.classId })).slice(0, 2000);
    const [names, classNames] = await Promise.all([
      store.consoles.userNames([...new Set(heldRows.flatMap((r) => removalsOf(r).map((p) => p.userId)))]),
      store.consoles.classNames([...new Set(heldRows.flatMap((r) => [...removalsOf(r).flatMap((p) => (p.classId ? [p.classId] : [])), ...pendingArchives(r.details)]))]),
    ]);
    const held = heldRows.map((r) => ({
      ...view(r),
      pendingRemovals: removalsOf(r).map((p) => ({ userId: p.userId, name: names.get(p.userId) ?? null, classId: p.classId, className: p.classId ? (classNames.get(p.classId) ?? null) : null })),
      pendingArchives: pendingArchives(r.details).map((classId) => ({ classId, className: classNames.get(classId) ?? null })),
    }));
    const lastOf = (integrationId: string, triggers: string[]) => runs.find((r) => r.integrationId === integrationId && triggers.includes(r.trigger)) ?? null;
    const problems = [
      ...integrations.filter((i) => i.status !== 'active').map((i) => ({
        integrationId: i.id,
        provider: i.provider,
        at: i.lastTestAt,
        message: i.statusReason ?? (i.status === 'disabled' ? 'This connection is turned off.' : 'This connection needs attention: run Test connection to see why.'),
      })),
      ...runs
        .filter((r) => r.status === 'failed' && r.integrationId)
        .slice(0, 10)
        .map((r) => ({ integrationId: r.integrationId!, provider: providerOf.get(r.integrationId!)!, at: r.startedAt, message: r.explanation! })),
    ];
    return {
      district: { id: district.id, name: district.name },
      integrations: integrations.map((integration, i) => ({
        integration,
        shared: sharedFrom(integration),
        imported: imported[i]!,
        lastDelta: lastOf(integration.id, ['delta', 'schedule']),
        lastFull: lastOf(integration.id, ['full']),
      })),
      runs,
      held,
      problems,
      abilities: { decideHolds: districtPolicy.canView(actor, district.id), testConnections: districtPolicy.canView(actor, district.id) },
    };
  }
}
