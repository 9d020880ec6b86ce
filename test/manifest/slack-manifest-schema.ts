// Slack's app manifest format (v1 manifests) as a zod schema, for the fields costbridge uses.
// Derived from Slack's published JSON schema, slackapi/manifest-schema schemas/manifest.schema.1.0.0.json
// (lengths, patterns, required keys); every object is strict like the original (additionalProperties:
// false), so a misspelled key fails.
import { z } from 'zod';

const requestUrl = z.string().regex(/^https?:\/\//, 'must start with http(s)://').max(3500);
const uniqueStrings = (maxLength: number, maxItems: number) =>
  z
    .array(z.string().max(maxLength))
    .max(maxItems)
    .refine((items) => new Set(items).size === items.length, 'items must be unique');

/** A Slack app manifest limited to display information, app home, bot user, slash commands, scopes and settings. */
export const slackManifestSchema = z.strictObject({
  _metadata: z
    .strictObject({ major_version: z.number().int(), minor_version: z.number().int() })
    .partial()
    .optional(),
  display_information: z.strictObject({
    name: z.string().min(1).max(35),
    description: z.string().min(1).max(140).optional(),
    background_color: z
      .string()
      .min(4)
      .max(7)
      .regex(/^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$/)
      .optional(),
    long_description: z.string().min(175).max(4000).optional(),
  }),
  features: z
    .strictObject({
      app_home: z
        .strictObject({
          home_tab_enabled: z.boolean(),
          messages_tab_enabled: z.boolean(),
          messages_tab_read_only_enabled: z.boolean(),
        })
        .partial()
        .optional(),
      bot_user: z.strictObject({ display_name: z.string().min(1).max(80), always_online: z.boolean().optional() }).optional(),
      slash_commands: z
        .array(
          z.strictObject({
            command: z.string().min(2).max(32).regex(/^\//, 'must start with /'),
            url: z.string().regex(/^https?:\/\//, 'must start with http(s)://').max(3000).optional(),
            description: z.string().min(1).max(2000),
            usage_hint: z.string().min(1).max(1000).optional(),
            should_escape: z.boolean().optional(),
          }),
        )
        .min(1)
        .max(50)
        .optional(),
    })
    .optional(),
  oauth_config: z
    .strictObject({
      redirect_urls: z.array(z.string().max(2500)).max(1000).optional(),
      scopes: z
        .strictObject({ bot: z.array(z.string().max(50)).max(255), user: z.array(z.string().max(50)).max(255) })
        .partial()
        .optional(),
    })
    .optional(),
  settings: z
    .strictObject({
      event_subscriptions: z
        .strictObject({
          request_url: requestUrl.optional(),
          bot_events: uniqueStrings(50, 100).optional(),
          user_events: uniqueStrings(50, 100).optional(),
        })
        .optional(),
      interactivity: z
        .strictObject({
          is_enabled: z.boolean(),
          request_url: requestUrl.optional(),
          message_menu_options_url: requestUrl.optional(),
        })
        .optional(),
      org_deploy_enabled: z.boolean().optional(),
      socket_mode_enabled: z.boolean().optional(),
      token_rotation_enabled: z.boolean().optional(),
    })
    .optional(),
});

/** A parsed Slack manifest. */
export type SlackManifest = z.infer<typeof slackManifestSchema>;
