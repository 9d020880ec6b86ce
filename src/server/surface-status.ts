/** How a chat surface stands: `ok` ready, `connecting` retrying in the background, `degraded` given up until fixed. */
export type SurfaceState = 'ok' | 'connecting' | 'degraded';

/** A surface's state as `GET /healthz` reports it. */
export interface SurfaceHealth {
  readonly state: SurfaceState;
  /** Why it is not ok (the platform's error, or what is being retried). */
  readonly reason?: string;
  /** Since when it has been in this state. */
  readonly since: string;
  /** How it is reached (`http`, `socket`, `unauthenticated` ...). */
  readonly mode: string;
  /** The workspace the credentials belong to (Slack team id and name), once the platform said so. */
  readonly workspace?: { readonly id: string; readonly name?: string };
}

/** Who the app is in a Slack workspace, as `auth.test` answered. */
export interface SlackWorkspaceIdentity {
  readonly teamId: string;
  readonly teamName: string | undefined;
  readonly botUserId: string;
  readonly botId: string | undefined;
  /** Set on Enterprise Grid installs. */
  readonly enterpriseId: string | undefined;
}

/**
 * The live state of one chat surface, written by its adapter (Slack's connection loop, Teams at
 * start) and read by the HTTP handlers (`/healthz`, `/readyz`) and the outbox worker. Listeners
 * registered with `onChange` hear every transition.
 */
export class SurfaceStatus {
  private current: { state: SurfaceState; reason: string | undefined; since: Date };
  private identity: SlackWorkspaceIdentity | undefined;
  private listeners: ((s: SurfaceHealth) => void)[] = [];

  constructor(
    readonly surface: 'slack' | 'teams',
    readonly mode: string,
    state: SurfaceState = 'connecting',
    reason?: string,
  ) {
    this.current = { state, reason, since: new Date() };
  }

  get state(): SurfaceState {
    return this.current.state;
  }

  get reason(): string | undefined {
    return this.current.reason;
  }

  /** The Slack workspace from the last successful `auth.test` (e.g. to default an allowed-team list to it); undefined before. */
  get workspace(): SlackWorkspaceIdentity | undefined {
    return this.identity;
  }

  /** Records the workspace the credentials belong to. */
  identify(identity: SlackWorkspaceIdentity): void {
    this.identity = identity;
  }

  /** Moves to a state; the same state and reason again is not a transition. */
  set(state: SurfaceState, reason?: string): void {
    if (state === this.current.state && reason === this.current.reason) return;
    this.current = { state, reason, since: new Date() };
    const snapshot = this.health();
    for (const l of this.listeners) l(snapshot);
  }

  /** Calls `listener` on every transition. */
  onChange(listener: (s: SurfaceHealth) => void): void {
    this.listeners.push(listener);
  }

  health(): SurfaceHealth {
    return {
      state: this.current.state,
      ...(this.current.reason ? { reason: this.current.reason } : {}),
      since: this.current.since.toISOString(),
      mode: this.mode,
      ...(this.identity ? { workspace: { id: this.identity.teamId, ...(this.identity.teamName ? { name: this.identity.teamName } : {}) } } : {}),
    };
  }
}
