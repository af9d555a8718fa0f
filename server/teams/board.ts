/**
 * The team and volunteer board (shared/teams.ts) for one caller: the towns it may read (every town
 * for the district, its own for a town's dispatcher, never another's), their 支队 and 小队 figures,
 * and a 小队's members with names masked as the candidates' are.
 */
import { canActOn, DISTRICT, type Principal } from '../../shared/auth.js';
import { maskName, maskText } from '../../shared/mask.js';
import type { NetworkNode } from '../../shared/network.js';
import { OrderState } from '../../shared/events.js';
import { CHECKIN_FRESH_MS } from '../../shared/candidates.js';
import {
  memberStatus,
  type Branch,
  type Team,
  type TeamBoard,
  type TeamMember,
  type TeamMembers,
} from '../../shared/teams.js';
import { localDay, UTC_OFFSET_MS } from '../../shared/time-zone.js';
import { Errors } from '../errors.js';
import { membersOfTeam, teamsOfTowns, type TeamRow } from '../store/team-repository.js';
import type { Transport } from '../store/transport.js';

const STATES: ReadonlySet<string> = new Set(Object.values(OrderState));
/** The county's midnight that began the day of `ms` ("today" for 在岗 and orders today). */
const localMidnight = (ms: number): number => localDay(ms) * 86_400_000 - UTC_OFFSET_MS;

const team = (r: TeamRow): Team => ({
  id: r.id,
  stationId: r.stationId,
  skill: r.skill,
  members: r.members,
  onDuty: r.onDuty,
  serving: r.serving,
  idle: Math.max(0, r.members - r.onDuty - r.serving),
  ordersToday: r.ordersToday,
});

function sums(teams: readonly Team[]): Omit<Branch, 'id'> {
  const total = { teams: teams.length, members: 0, onDuty: 0, serving: 0, idle: 0, ordersToday: 0 };
  for (const t of teams) {
    total.members += t.members;
    total.onDuty += t.onDuty;
    total.serving += t.serving;
    total.idle += t.idle;
    total.ordersToday += t.ordersToday;
  }
  return total;
}

export class TeamBoardReader {
  private readonly towns: string[];

  constructor(
    private readonly store: Transport,
    nodes: readonly NetworkNode[],
    private readonly now: () => number = Date.now,
  ) {
    this.towns = nodes.filter((n) => n.level === 'institute').map((n) => n.id);
  }

  /** The caller's 总队 (district only), 支队 and, for `town`, its 小队; another town is refused. */
  async board(principal: Principal, town: string | undefined): Promise<TeamBoard> {
    if (town !== undefined && (!this.towns.includes(town) || !canActOn(principal, town)))
      throw new Errors.FORBIDDEN(`read the teams of ${town}`);
    const district = principal.scope === DISTRICT;
    const towns = district ? this.towns : this.towns.filter((t) => t === principal.scope);
    const listed = town ?? (district ? '' : (towns[0] ?? ''));
    const at = this.now();
    const rows = await teamsOfTowns(this.store, towns, at, localMidnight(at), CHECKIN_FRESH_MS);
    const teams = rows.map((r) => ({ town: r.town, team: team(r) }));
    const branches = towns.map((id) => ({ id, ...sums(teams.filter((t) => t.town === id).map((t) => t.team)) }));
    return {
      at,
      corps: district ? sums(teams.map((t) => t.team)) : null,
      branches,
      town: listed,
      teams: teams.filter((t) => t.town === listed).map((t) => t.team),
    };
  }

  /** A 小队's members: status, home station, fresh check-in, the order they are on, orders today. */
  async members(principal: Principal, teamId: string): Promise<TeamMembers> {
    const town = teamId.split(':')[0] ?? '';
    if (!this.towns.includes(town) || !canActOn(principal, town)) throw new Errors.FORBIDDEN(`read team ${teamId}`);
    const at = this.now();
    const dayStart = localMidnight(at);
    const [[row], members] = await Promise.all([
      teamsOfTowns(this.store, [town], at, dayStart, CHECKIN_FRESH_MS).then((rows) =>
        rows.filter((r) => r.id === teamId),
      ),
      membersOfTeam(this.store, teamId, at, dayStart, CHECKIN_FRESH_MS),
    ]);
    if (!row) throw new Errors.TEAM_NOT_FOUND(teamId);
    return {
      at,
      team: team(row),
      members: members.map((m): TeamMember => {
        const onOrder = m.orderId !== '' && STATES.has(m.orderState);
        const present = m.lastIn >= dayStart && m.lastIn > m.lastOut;
        return {
          id: m.id,
          name: maskName(m.name),
          status: memberStatus(onOrder, present),
          stationId: m.stationId,
          checkin: m.lastIn >= at - CHECKIN_FRESH_MS ? { nodeId: m.inNode, at: m.lastIn } : null,
          order: onOrder ? { id: m.orderId, title: maskText(m.orderTitle), state: m.orderState as OrderState } : null,
          ordersToday: m.ordersToday,
        };
      }),
    };
  }
}
