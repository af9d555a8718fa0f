/**
 * Where institutes, stations, volunteers and teams belong, for the state machine (shared/orders.ts
 * `Places`): the network for nodes, the volunteer registry for people, ClickHouse for teams.
 * `resolve` reads what a command's target needs before deciding, so `instituteOf` never waits.
 */
import type { NetworkNode } from '../../shared/network.js';
import type { Places, Target, TargetKind } from '../../shared/orders.js';
import { teamExists } from '../store/orders-repository.js';
import type { Transport } from '../store/transport.js';
import type { VolunteerBoard } from './volunteers.js';

export class NetworkPlaces implements Places {
  private readonly teams = new Map<string, boolean>();

  constructor(
    private readonly store: Transport,
    private readonly nodes: ReadonlyMap<string, NetworkNode>,
    private readonly volunteers: VolunteerBoard,
  ) {}

  async resolve(target: Target | null): Promise<void> {
    if (target?.kind === 'volunteer') await this.volunteers.ensure([target.id]);
    if (target?.kind === 'team' && !this.teams.has(target.id)) {
      this.teams.set(target.id, await teamExists(this.store, target.id));
    }
  }

  instituteOf(kind: TargetKind, id: string): string | undefined {
    const node = this.nodes.get(id);
    switch (kind) {
      case 'institute':
        return node?.level === 'institute' ? id : undefined;
      case 'station':
        return node?.level === 'station' ? (node.instituteId ?? undefined) : undefined;
      case 'volunteer':
        return this.volunteers.info(id)?.institute_id;
      case 'team':
        return this.teams.get(id) === true ? id.split(':')[0] : undefined;
    }
  }
}
