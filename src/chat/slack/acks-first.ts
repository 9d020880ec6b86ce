/**
 * Requests Slack is still waiting on for their acknowledgement (received, not yet answered), and a
 * way for work after an acknowledgement to let them go first.
 */
export class AcksFirst {
  private unanswered = 0;
  private waiters: (() => void)[] = [];

  constructor(private readonly maxWaitMs = 250) {}

  /** Counts one request until `done` is called (once; later calls do nothing). */
  received(): () => void {
    this.unanswered++;
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      this.unanswered--;
      if (this.unanswered === 0) for (const w of this.waiters.splice(0)) w();
    };
  }

  /** Resolves once no request awaits its acknowledgement, or after `maxWaitMs` at most. */
  turn(): Promise<void> {
    if (this.unanswered === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.maxWaitMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
