/** Stable codes for failures a person can act on; adapters turn them into friendly text. */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'INPUT_INVALID'
  | 'FILE_NOT_FOUND'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'DATABASE';

/** The one error type costbridge throws on purpose; `code` is stable, `message` is for people. */
export class CostbridgeError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'CostbridgeError';
  }
}
