/**
 * One command at a time per order. This is where the version check holds: `decide`
 * (shared/orders.ts) compares the command's expected version with the projection's, and because
 * the service reads the state, decides and commits inside `run`, nothing changes the order between
 * the check and the write — two dispatchers can never both win. That holds for one process only:
 * with several nodes (issue 18) the new version is also won in Redis before the write
 * (order-versions.ts); this queue still keeps one node's own commands on an order in line.
 */
export class OrderQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `fn` after every earlier one on the same order. */
  run<T>(orderId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(orderId) ?? Promise.resolve();
    const result = previous.then(fn);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(orderId, tail);
    void tail.then(() => {
      if (this.tails.get(orderId) === tail) this.tails.delete(orderId);
    });
    return result;
  }

  /** Resolves once everything queued now has run. */
  async drain(): Promise<void> {
    await Promise.all([...this.tails.values()]);
  }
}
