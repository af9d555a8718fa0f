/**
 * The citizens' desk: 点单, 百姓点题, tracking and rating for people without an account. It holds no
 * rule of the order flow: a 点单 is the dispatch service's `request` and a rating its `rate` command,
 * given as the citizen principal, whose only commands are these two on the order a token names.
 * What the order's events do not carry (category, window, note, phone, rating) is kept beside it
 * (store/public-repository.ts), and the citizen gets a tracking token kept only hashed.
 */
import { DISTRICT } from '../../shared/auth.js';
import type { OrderCategory } from '../../shared/candidates.js';
import type { OrderView } from '../../shared/dispatch.js';
import type { IngestResult, OrderState, PracticeEvent } from '../../shared/events.js';
import type { NetworkNode } from '../../shared/network.js';
import {
  CITIZEN_NAME,
  citizenOrderTitle,
  stepTimes,
  trackStepOf,
  windowProblem,
  type CitizenAppealBody,
  type CitizenOrderAnswer,
  type CitizenOrderBody,
  type RatingBody,
  type TrackView,
} from '../../shared/public.js';
import { fail, ok, type Result } from '../../shared/result.js';
import type { DispatchActor, DispatchService } from '../dispatch/service.js';
import { derivedId } from '../dispatch/ids.js';
import { transitionsOf } from '../store/orders-repository.js';
import {
  citizenOrder,
  saveCitizenOrder,
  saveTrackToken,
  tokenOrder,
  type CitizenOrderRow,
} from '../store/public-repository.js';
import type { Transport } from '../store/transport.js';
import { hashToken, lookupHash, newToken, sameHash } from './tokens.js';

/** Who a public 点单 or rating is, on the order's trail and in the dispatch audit. */
export const CITIZEN_ACTOR: DispatchActor = {
  id: 'public:citizen',
  name: CITIZEN_NAME,
  role: 'dispatcher',
  scope: DISTRICT,
};

export interface DeskOptions {
  store: Transport;
  dispatch: DispatchService;
  submit: (events: PracticeEvent[]) => Promise<IngestResult>;
  /** A node's name and its public page's segment. */
  placeOf: (nodeId: string) => { name: string; segment: string };
  now?: () => number;
}

interface Step {
  to: OrderState;
  at: number;
  assignee: string;
}

export class CitizenDesk {
  private readonly now: () => number;

  constructor(private readonly o: DeskOptions) {
    this.now = o.now ?? Date.now;
  }

  /** 群众点单 at a 站 or 点; a retried command id gets the same order and a new token for it. */
  async order(node: NetworkNode, body: CitizenOrderBody): Promise<Result<CitizenOrderAnswer>> {
    if (node.level !== 'station' && node.level !== 'point') return fail('PUBLIC_NOT_ORDERABLE', node.level);
    const problem = windowProblem(body.window, this.now());
    if (problem !== null) return fail('PUBLIC_WINDOW_INVALID', problem);
    const ack = await this.o.dispatch.request(CITIZEN_ACTOR, {
      commandId: body.commandId,
      venueId: node.id,
      title: citizenOrderTitle(body.category, body.window),
      ...(body.note === '' ? {} : { note: body.note }),
    });
    if (!ack.ok) return fail(ack.error.code, ack.error.message);
    const order = ack.data.order;
    // A retry whose first answer was lost after the order was made still leaves its details once.
    if (!ack.data.replayed || !(await citizenOrder(this.o.store, order.id))) {
      const row: CitizenOrderRow = {
        order_id: order.id,
        node_id: order.venueId,
        category: body.category,
        window_from: body.window.from,
        window_to: body.window.to,
        note: body.note,
        phone: body.phone,
        created_at: order.createdAt,
        score: 0,
        comment: '',
        rate_command_id: '',
      };
      await saveCitizenOrder(this.o.store, row, order.createdAt);
    }
    const token = newToken();
    await saveTrackToken(this.o.store, hashToken(token), order.id, this.now());
    return ok({ token, replayed: ack.data.replayed });
  }

  /** The order a tracking token names; null for anything else, malformed values included. */
  async orderOfToken(token: unknown): Promise<string | null> {
    const hash = lookupHash(token);
    if (hash === null) return null;
    const found = await tokenOrder(this.o.store, hash);
    return found && sameHash(found.hash, hash) ? found.orderId : null;
  }

  /** 百姓点题: an `appeal.received` at the node, through ingest; its id derives from the command id. */
  async appeal(node: NetworkNode, body: CitizenAppealBody): Promise<Result<{ replayed: boolean }>> {
    const id = derivedId(CITIZEN_ACTOR.id, body.commandId, 'appeal');
    const result = await this.o.submit([
      {
        id,
        nodeId: node.id,
        ts: this.now(),
        type: 'appeal.received',
        appealId: `PA-${id.replace(/-/g, '').slice(0, 12).toUpperCase()}`,
        category: body.category,
        title: body.title,
        citizenName: '',
        citizenPhone: body.phone ?? '',
        lat: node.lat,
        lon: node.lon,
      },
    ]);
    const item = result.items[0];
    if (item?.status === 'accepted') return ok({ replayed: false });
    if (item?.status === 'duplicate') return ok({ replayed: true });
    return fail('REQ_VALIDATION', item?.reason ?? 'the appeal was not accepted');
  }

  /** The order as its citizen follows it; null when there is none (answered as an unknown token). */
  async view(orderId: string, live?: OrderView): Promise<TrackView | null> {
    const citizen = await citizenOrder(this.o.store, orderId);
    if (!citizen) return null;
    const order = live ?? this.o.dispatch.order(orderId);
    let steps: Step[];
    if (order) steps = order.history.map((h) => ({ to: h.to, at: h.at, assignee: h.assignee }));
    else {
      // Rated and closed orders leave the service's memory after a restart; their events remain.
      const rows = await transitionsOf(this.o.store, [orderId]);
      steps = rows.map((r) => ({ to: r.state as OrderState, at: r.at, assignee: r.assignee }));
    }
    const state = order?.state ?? steps[steps.length - 1]?.to;
    if (state === undefined) return null;
    return {
      state,
      step: trackStepOf(state),
      steps: stepTimes(steps, state),
      category: citizen.category as OrderCategory,
      window: { from: citizen.window_from, to: citizen.window_to },
      nodeName: this.o.placeOf(citizen.node_id).name,
      segment: this.o.placeOf(citizen.node_id).segment,
      volunteer: await this.servedBy(state, steps),
      rating: citizen.score > 0 ? { score: citizen.score, comment: citizen.comment } : null,
      createdAt: citizen.created_at,
    };
  }

  /** The citizen's rating: the order's `rate` command (the comment kept as its reason), once. */
  async rate(orderId: string, body: RatingBody): Promise<Result<TrackView>> {
    const citizen = await citizenOrder(this.o.store, orderId);
    if (!citizen) return fail('TRACK_NOT_FOUND', 'no order');
    const answer = async () => {
      const view = await this.view(orderId);
      return view ? ok(view) : fail('TRACK_NOT_FOUND', 'no order');
    };
    if (citizen.score > 0) {
      return citizen.rate_command_id === body.commandId ? answer() : fail('TRACK_ALREADY_RATED', 'rated');
    }
    const order = this.o.dispatch.order(orderId);
    if (order?.state !== 'completed') {
      return order?.state === 'rated' || !order
        ? fail('TRACK_ALREADY_RATED', 'rated')
        : fail('TRACK_NOT_RATABLE', 'open');
    }
    const note = `${body.score} 星${body.comment === '' ? '' : ` · ${body.comment}`}`.slice(0, 200);
    const ack = await this.o.dispatch.command(CITIZEN_ACTOR, {
      commandId: body.commandId,
      orderId,
      expectedVersion: order.version,
      type: 'rate',
      score: body.score,
      note,
    });
    if (!ack.ok) {
      if (ack.error.code === 'INGEST_BACKPRESSURE') return fail(ack.error.code, ack.error.message);
      const now = this.o.dispatch.order(orderId)?.state;
      return now === 'rated' ? fail('TRACK_ALREADY_RATED', 'rated') : fail('TRACK_NOT_RATABLE', ack.error.message);
    }
    const rated = { ...citizen, score: body.score, comment: body.comment, rate_command_id: body.commandId };
    await saveCitizenOrder(this.o.store, rated, this.now());
    return answer();
  }

  /** The volunteer on (or who served) the order, masked; 'team' for a team; null before 接单. */
  private async servedBy(state: OrderState, steps: readonly Step[]): Promise<string | null> {
    const step = trackStepOf(state);
    if (step !== 'claimed' && step !== 'in_service' && step !== 'completed') return null;
    const last = [...steps].reverse().find((s) => s.assignee !== '')?.assignee;
    if (last === undefined) return null;
    if (last.includes(':')) return 'team';
    return (await this.o.dispatch.volunteer(last))?.name ?? null;
  }
}
