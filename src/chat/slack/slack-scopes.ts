// What costbridge asks Slack for, derived from what the code does: every Web API method it calls
// with the bot token and every event it listens to, with the bot scopes each needs and why. The
// manifests in manifest/slack/ must request exactly the scopes these need (test/manifest checks it
// against the calls in src/chat/slack/ and the registered listeners), and docs/connecting-slack.md
// explains each one.

/** One Web API method: the bot scopes it needs (empty: none) and what costbridge uses it for. */
export interface SlackMethodUse {
  readonly scopes: readonly string[];
  readonly why: string;
}

/** Every Web API method costbridge calls with the bot token (the app-level token's `apps.connections.open` is Socket Mode's, not the bot's). */
export const slackMethodScopes: Readonly<Record<string, SlackMethodUse>> = {
  'auth.test': { scopes: [], why: 'checks the bot token at start and learns the workspace and bot user' },
  // chat:write.public: posting a digest into a public channel nobody invited the bot to yet.
  'chat.postMessage': { scopes: ['chat:write', 'chat:write.public'], why: 'posts digests and alerts to channels, and notes to a person’s DM with the app' },
  'chat.postEphemeral': { scopes: ['chat:write'], why: 'private replies when an interaction’s response_url can no longer be used' },
  'chat.update': { scopes: ['chat:write'], why: 'updates a posted message in place after a decision' },
  'views.open': { scopes: [], why: 'opens the decision forms (Claim, Not mine, Approve, Reject, Explain, Classify) and the digest\'s View all lists' },
  'views.update': { scopes: [], why: 'turns the page of a View all list' },
  'views.push': { scopes: [], why: 'opens a decision form over a View all list when an item\'s button is pressed there' },
  'views.publish': { scopes: [], why: 'publishes each person’s App Home: their open decisions with the same buttons, refreshed after each decision' },
  // users:read.email: without it users.info omits the email every person is matched by.
  'users.info': { scopes: ['users:read', 'users:read.email'], why: 'maps the Slack user who acts to a costbridge person by id or email' },
  'files.getUploadURLExternal': { scopes: ['files:write'], why: 'uploads the digest chart (step 1)' },
  'files.completeUploadExternal': { scopes: ['files:write'], why: 'uploads the digest chart (step 2)' },
};

/** Every event costbridge subscribes to, with the scopes it needs (none for these). */
export const slackEventScopes: Readonly<Record<string, SlackMethodUse>> = {
  app_home_opened: { scopes: [], why: 'a person opened the app’s Home tab: their open decisions are published there' },
  app_uninstalled: { scopes: [], why: 'the workspace removed the app: its deliveries are parked' },
  tokens_revoked: { scopes: [], why: 'the bot token was revoked: its deliveries are parked' },
};

/** The scope a slash command needs. */
export const slashCommandScope = 'commands';

/** The bot scopes the given methods, events and slash commands need, sorted. */
export function requiredBotScopes(methods: readonly string[], events: readonly string[], slashCommands: readonly string[]): string[] {
  const scopes = new Set<string>();
  for (const m of methods) for (const s of slackMethodScopes[m]?.scopes ?? []) scopes.add(s);
  for (const e of events) for (const s of slackEventScopes[e]?.scopes ?? []) scopes.add(s);
  if (slashCommands.length > 0) scopes.add(slashCommandScope);
  return [...scopes].sort();
}
