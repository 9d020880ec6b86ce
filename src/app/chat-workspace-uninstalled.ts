import type { Store } from '../store/database.js';
import { recordAudit } from '../store/audit-log.js';
import { parkPlatformDeliveries, type ChatPlatform } from '../store/chat-outbox.js';
import { lockWorkspaceState, setWorkspaceState } from '../store/chat-workspaces.js';

/** A workspace removed the app (Slack `app_uninstalled`) or revoked its bot token (`tokens_revoked`). */
export interface WorkspaceUninstalledRequest {
  readonly platform: ChatPlatform;
  /** Slack team id. */
  readonly workspace: string;
  readonly event: 'app_uninstalled' | 'tokens_revoked';
  readonly now: Date;
}

/** `changed` false: the workspace was already recorded uninstalled (the second of the two events Slack sends). */
export interface WorkspaceUninstalledResult {
  readonly changed: boolean;
  /** Outbox rows parked now. */
  readonly parked: number;
}

/**
 * Stops delivering to a workspace that uninstalled the app: records it uninstalled (with an audit
 * row) and parks its undelivered outbox rows, in one transaction. One bot token serves one workspace,
 * so every undelivered row of the platform is that workspace's. Deliveries resume when the app is
 * authorized there again (`recordWorkspaceAuthorized`).
 */
export async function recordWorkspaceUninstalled(store: Store, r: WorkspaceUninstalledRequest): Promise<WorkspaceUninstalledResult> {
  return store.db.transaction().execute(async (trx) => {
    const before = await lockWorkspaceState(trx, r);
    const parked = await parkPlatformDeliveries(trx, r.platform, `${r.event}: the workspace removed costbridge; parked until it is authorized again`);
    if (before?.state === 'uninstalled') return { changed: false, parked };
    await setWorkspaceState(trx, { platform: r.platform, workspace: r.workspace, state: 'uninstalled', reason: r.event, now: r.now });
    await recordAudit(trx, {
      actor: `${r.platform}:${r.workspace}`,
      surface: r.platform,
      action: 'chat.workspace.uninstalled',
      subjectType: 'chat_workspace',
      subjectId: r.workspace,
      before: before ? { state: before.state } : undefined,
      after: { state: 'uninstalled', event: r.event, parked },
    });
    return { changed: true, parked };
  });
}
