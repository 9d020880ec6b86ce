import type { Activity } from 'botbuilder';

/** Every tenant id an activity names (conversation and channel data), lower case. */
export function activityTenants(a: Partial<Activity>): string[] {
  const ids = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string' && v.trim() !== '') ids.add(v.trim().toLowerCase());
  };
  add(a.conversation?.tenantId);
  add((a.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id);
  return [...ids];
}

/** The activity's tenant (the conversation's), lower case. */
export function activityTenant(a: Partial<Activity>): string | undefined {
  return activityTenants(a)[0];
}

/**
 * Why an activity's tenant is refused, or undefined when it is allowed: every tenant it names must
 * be in `allowed` (TEAMS_ALLOWED_TENANT_IDS, or the app's own tenant). `allowed` undefined (only
 * without Bot Framework authentication, for local emulators) accepts any tenant.
 */
export function tenantRefusal(a: Partial<Activity>, allowed: readonly string[] | undefined): string | undefined {
  if (allowed === undefined) return undefined;
  const tenants = activityTenants(a);
  if (tenants.length === 0) return 'the activity names no tenant';
  const foreign = tenants.filter((t) => !allowed.includes(t));
  return foreign.length > 0 ? `tenant ${foreign.join(', ')} is not allowed (TEAMS_ALLOWED_TENANT_IDS: ${allowed.join(', ') || 'none'})` : undefined;
}
