import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { ActivityTypes, CallerIdConstants, CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity, type TurnContext } from 'botbuilder';
import { AuthenticationConstants, AuthenticationError, MsalServiceClientCredentialsFactory } from 'botframework-connector';
import { z } from 'zod';
import { publicBotFrameworkLoginUrl, type TeamsConfig } from '../../config.js';
import { queueChatMessage } from '../../app/queue-chat-message.js';
import { context as contextBlock, header, message } from '../../messages/message-blocks.js';
import { invokeError, teamsTurnHandler } from './teams-turn.js';
import type { TeamsDeps } from './teams-deps.js';

const maxBodyBytes = 1 << 20;
/** The names of jsonwebtoken's verification errors. */
const jwtErrors = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);
const activityShape = z.object({ type: z.string().min(1) }).passthrough();

/** botbuilder's CloudAdapter, with direct access to activity processing so we own the HTTP and the logs. */
class CostbridgeCloudAdapter extends CloudAdapter {
  run(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(authHeader, activity, logic);
  }
}

/** The Teams side of `serve`: the Bot Framework endpoint and the adapter the outbox sends through. */
export interface TeamsBot {
  /** Handles `POST /api/messages`: JWT-validated unless TEAMS_ALLOW_UNAUTHENTICATED. */
  handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void>;
  readonly adapter: CloudAdapter;
  /** The bot's app id (undefined when authentication is off). */
  readonly appId: string | undefined;
}

/** Builds the CloudAdapter with Bot Framework authentication from the configuration, and the one turn error handler. */
export function createTeamsBot(config: TeamsConfig, deps: TeamsDeps): TeamsBot {
  const auth = botFrameworkAuthentication(config);
  const adapter = new CostbridgeCloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    const a = context.activity;
    deps.log.error({ err: error, activityId: a.id, activityType: a.type, conversationId: a.conversation?.id }, 'teams turn failed');
    if (a.type === ActivityTypes.Invoke) {
      await invokeError(context, 500, 'InternalError', 'Something went wrong on costbridge’s side; it has been logged.');
    } else if (a.type === ActivityTypes.Message && a.conversation?.id) {
      const text = `Something went wrong on costbridge's side; it has been logged (reference ${a.id ?? 'none'}). Please try again.`;
      await queueChatMessage(deps.store, {
        platform: 'teams',
        operation: 'post',
        purpose: `error:${a.id ?? Date.now()}`,
        target: a.conversation.id,
        ...(a.id ? { replyTo: a.id } : {}),
        payload: message(text, [header('Something went wrong'), contextBlock(text)]),
      }).catch((e: unknown) => deps.log.error({ err: e }, 'could not tell the user about the failure'));
      deps.nudgeOutbox();
    }
  };
  const logic = teamsTurnHandler(deps);
  return {
    adapter,
    appId: config.allowUnauthenticated ? undefined : config.appId,
    async handleRequest(req, res) {
      const body = await readBody(req);
      if (body === 'too-large') return send(res, 413, { error: 'request body too large' });
      let activity: Activity;
      try {
        activity = activityShape.parse(JSON.parse(body)) as unknown as Activity;
      } catch {
        return send(res, 400, { error: 'the body is not a Bot Framework activity' });
      }
      const authHeader = String(req.headers.authorization ?? '');
      try {
        const invokeResponse = await adapter.run(authHeader, activity, logic);
        send(res, invokeResponse?.status ?? 200, invokeResponse?.body);
      } catch (e) {
        const err = e as Error & { statusCode?: number };
        // botframework-connector rethrows jsonwebtoken's own errors (a bad signature, a token not valid yet) as they are.
        if (e instanceof AuthenticationError || err.statusCode === 401 || jwtErrors.has(err.name)) {
          deps.log.warn({ reason: err.message, activityType: activity.type }, 'teams activity rejected: not authenticated');
          return send(res, 401, { error: 'unauthorized' });
        }
        deps.log.error({ err }, 'teams activity failed');
        send(res, 500, { error: 'internal error' });
      }
    },
  };
}

/**
 * Bot Framework authentication with every endpoint given, so that the configured OpenID metadata
 * (incoming tokens) and login host (the bot's own tokens) replace botbuilder's public-cloud defaults.
 */
function botFrameworkAuthentication(config: TeamsConfig): ConfigurationBotFrameworkAuthentication {
  if (config.allowUnauthenticated) return new ConfigurationBotFrameworkAuthentication({});
  const tenant = config.appType === 'MultiTenant' ? AuthenticationConstants.DefaultChannelAuthTenant : config.tenantId!;
  const authority = `${config.loginUrl}/${tenant}`;
  const options = {
    MicrosoftAppId: config.appId,
    MicrosoftAppPassword: config.appPassword,
    MicrosoftAppTenantId: config.tenantId,
    MicrosoftAppType: config.appType,
    ToBotFromChannelOpenIdMetadataUrl: config.openIdMetadataUrl,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    ToChannelFromBotLoginUrl: authority,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
    ValidateAuthority: true,
  };
  if (config.loginUrl === publicBotFrameworkLoginUrl || config.appType === 'UserAssignedMSI') return new ConfigurationBotFrameworkAuthentication(options);
  // botbuilder's password credentials hand MSAL another login host as a bare authority, and MSAL then
  // asks login.microsoftonline.com whether that host is trusted; naming it a known authority skips that.
  const client = new ConfidentialClientApplication({
    auth: { clientId: config.appId!, clientSecret: config.appPassword!, authority, knownAuthorities: [new URL(authority).host] },
  });
  // The same msal-node release as botframework-connector's, loaded as ESM: its types differ only by build.
  const msalClient = client as unknown as ConstructorParameters<typeof MsalServiceClientCredentialsFactory>[1];
  return new ConfigurationBotFrameworkAuthentication(options, new MsalServiceClientCredentialsFactory(config.appId!, msalClient));
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}

async function readBody(req: IncomingMessage): Promise<string | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
