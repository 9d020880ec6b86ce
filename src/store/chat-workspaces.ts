import type { Kysely, Transaction } from 'kysely';
import type { Database } from './tables.js';
import type { ChatPlatform } from './chat-outbox.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Whether the app is installed in a workspace, and what said so. */
export interface ChatWorkspaceState {
  readonly platform: ChatPlatform;
  readonly workspace: string;
  readonly state: 'installed' | 'uninstalled';
  readonly reason: string;
  readonly changedAt: Date;
}

/** Locks and returns a workspace's install state (undefined when never recorded). */
export async function lockWorkspaceState(trx: Transaction<Database>, key: { platform: ChatPlatform; workspace: string }): Promise<ChatWorkspaceState | undefined> {
  const row = await trx
    .selectFrom('chat_workspace')
    .selectAll()
    .where('platform', '=', key.platform)
    .where('workspace', '=', key.workspace)
    .forUpdate()
    .executeTakeFirst();
  return row ? toState(row) : undefined;
}

/** Records a workspace's install state (insert or overwrite). */
export async function setWorkspaceState(
  db: Db,
  s: { platform: ChatPlatform; workspace: string; state: 'installed' | 'uninstalled'; reason: string; now: Date },
): Promise<void> {
  await db
    .insertInto('chat_workspace')
    .values({ platform: s.platform, workspace: s.workspace, state: s.state, reason: s.reason, changed_at: s.now })
    .onConflict((oc) => oc.columns(['platform', 'workspace']).doUpdateSet({ state: s.state, reason: s.reason, changed_at: s.now }))
    .execute();
}

/** Every workspace of a platform whose app is uninstalled. */
export async function uninstalledWorkspaces(db: Db, platform: ChatPlatform): Promise<ChatWorkspaceState[]> {
  const rows = await db.selectFrom('chat_workspace').selectAll().where('platform', '=', platform).where('state', '=', 'uninstalled').execute();
  return rows.map(toState);
}

function toState(r: { platform: ChatPlatform; workspace: string; state: 'installed' | 'uninstalled'; reason: string; changed_at: Date }): ChatWorkspaceState {
  return { platform: r.platform, workspace: r.workspace, state: r.state, reason: r.reason, changedAt: new Date(r.changed_at) };
}
