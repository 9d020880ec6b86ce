/**
 * Ends a command with a specific exit status after it has printed its own results, e.g. `review run`
 * exits 3 when a delivery failed. Not an error report: nothing more is printed.
 */
export class ExitStatus extends Error {
  constructor(readonly code: number) {
    super(`exit status ${code}`);
    this.name = 'ExitStatus';
  }
}
