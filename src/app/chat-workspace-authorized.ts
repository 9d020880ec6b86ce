import type { Store } from '../store/database.js';
import { recordAudit } from '../store/audit-log.js';
import { releaseParkedDeliveries, type ChatPlatform } from '../store/chat-outbox.js';
import { lockWorkspaceState, setWorkspaceState } from '../store/chat-workspaces.js';

/** The platform accepted the app's credentials for a workspace (Slack `auth.test` succeeded). */
export interface WorkspaceAuthorizedRequest {
  readonly platform: ChatPlatform;
  readonly workspace: string;
  readonly now: Date;
}

/** `reinstalled`: the workspace had been recorded uninstalled; `released`: parked rows queued again. */
export interface WorkspaceAuthorizedResult {
  readonly reinstalled: boolean;
  readonly released: number;
}

/**
 * Records that the app works in a workspace again. When it had been uninstalled, its parked outbox
 * rows go back to the queue (due now, in their original order) with an audit row; otherwise this
 * only records the workspace as installed.
 */
export async function recordWorkspaceAuthorized(store: Store, r: WorkspaceAuthorizedRequest): Promise<WorkspaceAuthorizedResult> {
  return store.db.transaction().execute(async (trx) => {
    const before = await lockWorkspaceState(trx, r);
    if (before?.state === 'installed') return { reinstalled: false, released: 0 };
    await setWorkspaceState(trx, { platform: r.platform, workspace: r.workspace, state: 'installed', reason: 'auth.test', now: r.now });
    if (!before) return { reinstalled: false, released: 0 };
    const released = await releaseParkedDeliveries(trx, r.platform, r.now);
    await recordAudit(trx, {
      actor: `${r.platform}:${r.workspace}`,
      surface: r.platform,
      action: 'chat.workspace.authorized',
      subjectType: 'chat_workspace',
      subjectId: r.workspace,
      before: { state: before.state, reason: before.reason },
      after: { state: 'installed', released },
    });
    return { reinstalled: true, released };
  });
}
