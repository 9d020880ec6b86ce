import type { App } from '@slack/bolt';
import type { Logger } from '../../log.js';

/** Who the bot token belongs to (auth.test). */
export interface SlackTokenOwner {
  readonly team_id?: string | undefined;
  readonly app_id?: string | undefined;
}

/** The verdict on one request's workspace. */
export type WorkspaceVerdict = { readonly ok: true; readonly teamId: string } | { readonly ok: false; readonly reason: string };

/** Every team id a Slack request names: the workspace it came from and the user's own team (Slack Connect). */
export function requestTeamIds(body: Record<string, unknown>): string[] {
  const ids = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string' && v !== '') ids.add(v);
  };
  add(body.team_id);
  add((body.team as { id?: unknown } | undefined)?.id);
  add((body.user as { team_id?: unknown } | undefined)?.team_id);
  add((body.view as { team_id?: unknown } | undefined)?.team_id);
  return [...ids];
}

/**
 * Which Slack workspaces may use the bot: `SLACK_ALLOWED_TEAM_IDS`, else the bot token's own team
 * (auth.test). A request naming any other team, or another app than the bot's (`api_app_id`), is
 * refused; until the token's team is known (Slack unreachable at start), every request is refused
 * rather than trusted.
 */
export class SlackWorkspaceGate {
  private owner: { teamId: string; appId: string | undefined } | undefined;
  private lastAttempt = 0;

  constructor(
    private readonly configured: readonly string[] | undefined,
    private readonly log: Logger,
  ) {}

  /** Records the bot token's team and app (from auth.test). */
  learn(who: SlackTokenOwner): void {
    if (!who.team_id) return;
    this.owner = { teamId: who.team_id, appId: who.app_id || undefined };
    this.log.info({ teamId: who.team_id, appId: who.app_id, allowed: this.configured ?? [who.team_id] }, 'slack workspace gate: requests accepted from these teams');
  }

  /** Whether the allowed teams are known (configured, or learned from auth.test). */
  get ready(): boolean {
    return this.configured !== undefined || this.owner !== undefined;
  }

  /** Learns the token's team now if it is still unknown (at most one auth.test every 10 s). */
  async learnIfNeeded(authTest: () => Promise<SlackTokenOwner>): Promise<void> {
    if (this.owner || Date.now() - this.lastAttempt < 10_000) return;
    this.lastAttempt = Date.now();
    try {
      this.learn(await authTest());
    } catch (e) {
      this.log.warn({ error: (e as Error).message }, 'slack workspace gate: auth.test failed; requests are refused until the bot token team is known');
    }
  }

  /** The verdict on one request body. */
  check(body: Record<string, unknown>): WorkspaceVerdict {
    const allowed = this.configured ?? (this.owner ? [this.owner.teamId] : undefined);
    if (!allowed) return { ok: false, reason: 'the bot token team is not known yet (auth.test has not answered) and SLACK_ALLOWED_TEAM_IDS is not set' };
    const teams = requestTeamIds(body);
    if (teams.length === 0) return { ok: false, reason: 'the request names no team' };
    const foreign = teams.filter((t) => !allowed.includes(t));
    if (foreign.length > 0) return { ok: false, reason: `team ${foreign.join(', ')} is not allowed (allowed: ${allowed.join(', ')})` };
    const app = typeof body.api_app_id === 'string' ? body.api_app_id : undefined;
    if (app && this.owner?.appId && app !== this.owner.appId) return { ok: false, reason: `app ${app} is not this bot's app ${this.owner.appId}` };
    return { ok: true, teamId: teams[0]! };
  }
}

/**
 * The first Bolt middleware: a request from a workspace that is not allowed is acknowledged (so Slack
 * does not retry it), logged, and goes no further — no listener, no database work.
 */
export function registerWorkspaceGate(app: App, gate: SlackWorkspaceGate, log: Logger): void {
  app.use(async (args) => {
    const body = args.body as unknown as Record<string, unknown>;
    if (!gate.ready) await gate.learnIfNeeded(() => args.client.auth.test() as Promise<SlackTokenOwner>);
    const verdict = gate.check(body);
    if (verdict.ok) {
      (args.context as Record<string, unknown>).costbridgeTeamId = verdict.teamId;
      await args.next();
      return;
    }
    log.warn({ reason: verdict.reason, teams: requestTeamIds(body), apiAppId: body.api_app_id, type: body.type ?? (body.command ? 'slash_command' : undefined) }, 'slack request refused: not from an allowed workspace');
    if ('ack' in args && typeof args.ack === 'function') {
      await (args.ack as (r?: unknown) => Promise<void>)(body.type === 'block_suggestion' ? { options: [] } : undefined);
    }
  });
}
