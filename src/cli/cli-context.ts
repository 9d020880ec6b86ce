import type { Config } from '../config.js';
import type { Store } from '../store/database.js';

/** Where a command writes: stdout carries results (JSON when asked), stderr carries everything else. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** What every command gets: configuration, output, and the store opened on first use. */
export interface CliContext {
  readonly config: Config;
  readonly io: CliIo;
  /** The store, opened and migrated on first call. */
  store(): Promise<Store>;
  /**
   * The person an action is recorded as: `--as` when given, else `COSTBRIDGE_USER`, else `cli:$USER`.
   * A name given on purpose must be a known person, unless `unchecked` (the first admin names themselves).
   */
  actor(as?: string, options?: { readonly unchecked?: boolean }): Promise<string>;
}
