/**
 * Volunteers as the console sees them: registry facts (cached from ClickHouse), the status they
 * last reported, and the open orders on them. Status is derived: anyone on an order is assigned,
 * en route or serving; anyone freed is available unless they reported themselves off duty.
 */
import type { VolunteerView } from '../../shared/dispatch.js';
import { VolunteerStatus } from '../../shared/events.js';
import { maskName } from '../../shared/mask.js';
import type { NetworkNode } from '../../shared/network.js';
import { volunteersByIds, type VolunteerRow } from '../store/orders-repository.js';
import type { Transport } from '../store/transport.js';

const STATUSES: ReadonlySet<string> = new Set(Object.values(VolunteerStatus));
/** Registry rows kept; the console touches a few thousand volunteers a day, not the 136,000. */
const REGISTRY_CACHE = 50_000;

export class VolunteerBoard {
  private readonly registry = new Map<string, VolunteerRow>();
  private readonly reported = new Map<string, VolunteerStatus>();
  /** volunteer id → open order ids → whether that order is in service. */
  private readonly orders = new Map<string, Map<string, boolean>>();

  constructor(
    private readonly store: Transport,
    private readonly nodes: ReadonlyMap<string, NetworkNode>,
  ) {}

  /** Makes sure the registry rows of `ids` are cached; answers those that exist. */
  async ensure(ids: readonly string[]): Promise<Set<string>> {
    const missing = [...new Set(ids)].filter((id) => !this.registry.has(id));
    for (const row of await volunteersByIds(this.store, missing)) this.remember(row);
    return new Set(ids.filter((id) => this.registry.has(id)));
  }

  remember(row: VolunteerRow): void {
    if (this.registry.size >= REGISTRY_CACHE) {
      const oldest = this.registry.keys().next();
      if (!oldest.done) this.registry.delete(oldest.value);
    }
    this.registry.set(row.id, row);
  }

  info(id: string): VolunteerRow | undefined {
    return this.registry.get(id);
  }

  report(id: string, status: string): void {
    if (STATUSES.has(status)) this.reported.set(id, status as VolunteerStatus);
  }

  /** Records that `orderId` is (or is no longer, `on` false) on the volunteer. */
  track(id: string, orderId: string, on: boolean, inService = false): void {
    const open = this.orders.get(id) ?? new Map<string, boolean>();
    if (on) open.set(orderId, inService);
    else open.delete(orderId);
    if (open.size > 0) this.orders.set(id, open);
    else this.orders.delete(id);
  }

  load(id: string, exceptOrder = ''): number {
    const open = this.orders.get(id);
    if (!open) return 0;
    return open.size - (open.has(exceptOrder) ? 1 : 0);
  }

  orderIds(id: string): string[] {
    return [...(this.orders.get(id)?.keys() ?? [])];
  }

  status(id: string): VolunteerStatus {
    const open = this.orders.get(id);
    const reported = this.reported.get(id);
    if (open && open.size > 0) {
      if ([...open.values()].some(Boolean)) return 'serving';
      return reported === 'en_route' ? 'en_route' : 'assigned';
    }
    return reported === 'off_duty' ? 'off_duty' : 'available';
  }

  /** Volunteers with open orders now. */
  busy(): string[] {
    return [...this.orders.keys()];
  }

  view(id: string): VolunteerView {
    const row = this.registry.get(id);
    const station = this.nodes.get(row?.station_id ?? '');
    return {
      id,
      name: maskName(row?.name ?? ''),
      status: this.status(id),
      load: this.load(id),
      orderIds: this.orderIds(id),
      teamId: row?.team_id ?? '',
      stationId: row?.station_id ?? '',
      instituteId: row?.institute_id ?? '',
      skills: row?.skills ?? [],
      lat: station?.lat ?? 0,
      lon: station?.lon ?? 0,
    };
  }
}
