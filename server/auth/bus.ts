/**
 * How several nodes learn that a credential ended or an account changed on another node (issue 18):
 * one Redis pub/sub channel. Each node keeps in memory what it has read from Redis (sessions, tokens,
 * accounts) so that a request costs no round trip; the node that ends or changes something writes
 * Redis first, then publishes here, then answers. Every other node drops the entry at once and
 * closes the credential's sockets (AuthService.onEnded). A subscriber that lost its connection may
 * have missed messages: when it is back every node re-reads what it holds (`onResync`).
 *
 * Messages carry only ids: session keys (hashes), token ids, lower-cased usernames, volunteers'
 * account ids — never a secret, nor a phone number.
 */
import type { Redis } from 'ioredis';
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';

export const AUTH_CHANNEL = 'wmsj:auth:ended';

export const AuthNewsKind = { session: 'session', token: 'token', user: 'user', volunteer: 'volunteer' } as const;
export type AuthNewsKind = (typeof AuthNewsKind)[keyof typeof AuthNewsKind];

const MessageSchema = Type.Object({
  from: Type.String(),
  kind: Type.Enum(AuthNewsKind),
  ids: Type.Array(Type.String({ maxLength: 128 }), { maxItems: 100_000 }),
});
type Message = Static<typeof MessageSchema>;
const messageCheck = Compile(MessageSchema);

export type AuthNewsListener = (kind: AuthNewsKind, ids: readonly string[]) => void;

export class AuthBus {
  private readonly listeners = new Set<AuthNewsListener>();
  private readonly resyncs = new Set<() => void>();

  private constructor(
    /** The app's command connection (plugins/external/redis.ts), which the shared stores write through. */
    readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly nodeId: string,
  ) {}

  /** Subscribes before it resolves: nothing published after a node's start escapes it. */
  static async open(redis: Redis, nodeId: string, warn: (message: string) => void): Promise<AuthBus> {
    const subscriber = redis.duplicate({ connectionName: `wmsj:${nodeId}:auth` });
    subscriber.on('error', (error: Error) => warn(`redis (auth subscriber): ${error.message}`));
    const bus = new AuthBus(redis, subscriber, nodeId);
    subscriber.on('message', (channel: string, text: string) => {
      if (channel === AUTH_CHANNEL) bus.deliver(text);
    });
    await subscriber.subscribe(AUTH_CHANNEL);
    // Connected and subscribed by now, so 'ready' means back after a loss: ioredis subscribes again
    // by itself, but what was published meanwhile is gone.
    subscriber.on('ready', () => {
      for (const resync of bus.resyncs) resync();
    });
    return bus;
  }

  /** Tells every other node; resolves once Redis has handed the message to every subscriber. */
  async publish(kind: AuthNewsKind, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.redis.publish(
      AUTH_CHANNEL,
      JSON.stringify({ from: this.nodeId, kind, ids: [...ids] } satisfies Message),
    );
  }

  /** Another node's news (this node's own are acted on where they happen). */
  onNews(listener: AuthNewsListener): void {
    this.listeners.add(listener);
  }

  /** The subscriber is back after losing its connection: what is held in memory must be checked again. */
  onResync(listener: () => void): void {
    this.resyncs.add(listener);
  }

  async close(): Promise<void> {
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }

  private deliver(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (!messageCheck.Check(message) || message.from === this.nodeId) return;
    for (const listener of this.listeners) listener(message.kind, message.ids);
  }
}
