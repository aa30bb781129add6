import { z } from 'zod';
import { NumberIdSchema, NumberViewSchema } from './numbers';
import { CloudCredentialsSchema, CloudNumberSchema, RelayInputSchema, TemplateDraftSchema, WaTemplateSchema } from './cloud';
import { command } from './command-spec';

const Empty = z.object({}).strict();

/** Cloud API numbers and their templates (#17, #36): the contract's table for them, merged into `commands`. */
export const cloudCommands = {
  'cloud.add': command(
    'Adds a number on WhatsApp\'s official Cloud API: its Phone-Number ID, WhatsApp Business Account ID, a system user\'s token and the app secret, checked with Meta before anything is kept (the token and secret go to the keychain or an owner-only file, never the database); its templates are listed at once. Errors: cloud_auth, cloud_unreachable, cloud_refused, number_exists.',
    CloudCredentialsSchema,
    NumberViewSchema,
  ),
  'cloud.list': command('The Cloud API numbers with what Meta last said of them (name, quality rating, tier) and the webhook to give Meta. No side effects.', Empty, z.array(CloudNumberSchema)),
  'cloud.check': command('Asks Meta again for a Cloud number\'s name, quality rating and messaging tier. Errors: not_found, cloud_auth, cloud_unreachable, cloud_refused.', z.object({ numberId: NumberIdSchema }).strict(), CloudNumberSchema),
  'cloud.templates': command('The message templates known for a Cloud number\'s account (all accounts: null), as last synced. No side effects.', z.object({ numberId: NumberIdSchema.nullable() }).strict(), z.array(WaTemplateSchema)),
  'cloud.syncTemplates': command('Lists the account\'s templates from Meta again, with their status (approved, pending, rejected). Errors: not_found, cloud_auth, cloud_unreachable.', z.object({ numberId: NumberIdSchema }).strict(), z.array(WaTemplateSchema)),
  'cloud.createTemplate': command(
    'Submits a saved message as a new template for Meta\'s review: its fields become {{1}}, {{2}} … with the examples given; variations keep their first option; an image, video or document becomes the header (its sample uploaded on the app: `appId`). Errors: not_found, invalid_input (a missing example, the app id), media_unsupported, cloud_auth, cloud_unreachable, cloud_refused.',
    TemplateDraftSchema,
    WaTemplateSchema,
  ),
  'cloud.setRelay': command('Sets (or clears) the relay of the user\'s own that the app asks for Meta\'s webhooks when this computer has no public URL: https only, on a public address (the verify token travels with each request); its answers are read up to 8 MB. Errors: not_found, url_needs_https, url_refused.', RelayInputSchema, CloudNumberSchema),
};
