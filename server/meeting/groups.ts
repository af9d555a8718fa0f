/**
 * Which wall token is in which screen group, read from the store (migration 013) into memory at
 * start: a wall's connect looks its group up without a query. A change is written through to the
 * store first; other nodes reload when told (plugins/app/meeting.ts sends them a server-side emit).
 */
import type { Transport } from '../store/index.js';
import { loadScreenGroups, saveScreenGroup } from '../store/screen-group-repository.js';

export class ScreenGroups {
  private byToken = new Map<string, string>();

  constructor(private readonly store: Transport) {}

  async load(): Promise<void> {
    const rows = await loadScreenGroups(this.store);
    this.byToken = new Map(rows.map((r) => [r.tokenId, r.group]));
  }

  groupOf(tokenId: string): string | null {
    return this.byToken.get(tokenId) ?? null;
  }

  /** Every group that has at least one token, by name. */
  names(): string[] {
    return [...new Set(this.byToken.values())].sort((a, b) => a.localeCompare(b, 'zh-CN'));
  }

  list(): { tokenId: string; group: string }[] {
    return [...this.byToken].map(([tokenId, group]) => ({ tokenId, group }));
  }

  /** Puts a token in `group` (null: out of any); answers the group it was in. */
  async set(tokenId: string, group: string | null, by: string, now = Date.now()): Promise<string | null> {
    const before = this.groupOf(tokenId);
    await saveScreenGroup(this.store, tokenId, group ?? '', by, now);
    if (group === null) this.byToken.delete(tokenId);
    else this.byToken.set(tokenId, group);
    return before;
  }
}
