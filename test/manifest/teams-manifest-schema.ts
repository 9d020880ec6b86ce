// The Microsoft Teams app manifest v1.17 as a zod schema, for the fields costbridge uses.
// Derived from the official JSON schema (https://developer.microsoft.com/json-schemas/teams/v1.17/
// MicrosoftTeams.schema.json, as documented at learn.microsoft.com/microsoftteams/platform/resources/
// schema/manifest-schema): required top-level keys, the guid / hexColor / httpsUrl / relativePath
// definitions, string lengths, bot scopes and command-list limits. Objects are strict like the original
// (additionalProperties: false). test/fixtures/teams/README.md says how to switch on validation
// against the official file itself.
import { z } from 'zod';

const guid = z.string().regex(/^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/, 'must be a GUID');
const httpsUrl = z.string().max(2048).regex(/^[Hh][Tt][Tt][Pp][Ss]?:\/\//, 'must be an http(s) URL');
const relativePath = z.string().max(2048);
const semver = z
  .string()
  .max(256)
  .regex(/^([0-9]|[1-9]+[0-9]*)\.([0-9]|[1-9]+[0-9]*)\.([0-9]|[1-9]+[0-9]*)$/, 'must be MAJOR.MINOR.PATCH');
const botScope = z.enum(['team', 'personal', 'groupChat']);

/** A Teams app manifest (schema 1.17) with a bot, command lists, icons and valid domains. */
export const teamsManifestSchema = z.strictObject({
  $schema: z.string().regex(/^https:\/\//),
  manifestVersion: z.literal('1.17'),
  version: semver,
  id: guid,
  packageName: z.string().max(64).optional(),
  developer: z.strictObject({
    name: z.string().min(1).max(32),
    mpnId: z.string().max(10).optional(),
    websiteUrl: httpsUrl,
    privacyUrl: httpsUrl,
    termsOfUseUrl: httpsUrl,
  }),
  name: z.strictObject({ short: z.string().min(1).max(30), full: z.string().max(100).optional() }),
  description: z.strictObject({ short: z.string().min(1).max(80), full: z.string().min(1).max(4000) }),
  icons: z.strictObject({ outline: relativePath, color: relativePath }),
  accentColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be #RRGGBB'),
  bots: z
    .array(
      z.strictObject({
        botId: guid,
        needsChannelSelector: z.boolean().optional(),
        isNotificationOnly: z.boolean().optional(),
        supportsFiles: z.boolean().optional(),
        supportsCalling: z.boolean().optional(),
        supportsVideo: z.boolean().optional(),
        scopes: z.array(botScope).min(1).max(3),
        commandLists: z
          .array(
            z.strictObject({
              scopes: z.array(botScope).max(3),
              commands: z
                .array(z.strictObject({ title: z.string().min(1).max(32), description: z.string().min(1).max(128) }))
                .max(10),
            }),
          )
          .max(3)
          .optional(),
      }),
    )
    .max(1)
    .optional(),
  permissions: z.array(z.enum(['identity', 'messageTeamMembers'])).optional(),
  validDomains: z.array(z.string().max(2048)).max(16).optional(),
});

/** A parsed Teams manifest. */
export type TeamsManifest = z.infer<typeof teamsManifestSchema>;
