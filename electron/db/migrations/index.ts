import m0001 from './0001_settings';
import m0002 from './0002_numbers';
import m0003 from './0003_contacts';
import m0004 from './0004_messages';
import m0005 from './0005_campaigns';
import m0006 from './0006_whatsapp_ids';
import m0007 from './0007_name_key';
import m0008 from './0008_import_runs';
import m0009 from './0009_import_existing';
import m0010 from './0010_number_health';
import m0011 from './0011_consent';
import m0012 from './0012_api';
import m0013 from './0013_cloud';
import m0014 from './0014_import_record_steps';
import m0015 from './0015_command_results';
import m0016 from './0016_webhook_lan';
import m0017 from './0017_brake_since';
import m0018 from './0018_number_limits';
import m0019 from './0019_conversations';
import m0020 from './0020_campaign_send_times';
import m0021 from './0021_contact_search';
import m0022 from './0022_not_on_whatsapp';
import m0023 from './0023_segments';
import m0024 from './0024_cloud_2026';

/** `rebuildsTables`: it copies a table into a new one (to change a CHECK), so it runs with foreign keys off. */
export type Migration = { version: number; name: string; sql: string; rebuildsTables?: boolean };

/** Numbered migrations, applied in order; a new one is appended, never edited once released. */
export const migrations: readonly Migration[] = [
  { version: 1, name: 'settings', sql: m0001 },
  { version: 2, name: 'numbers', sql: m0002 },
  { version: 3, name: 'contacts', sql: m0003 },
  { version: 4, name: 'messages', sql: m0004 },
  { version: 5, name: 'campaigns', sql: m0005 },
  { version: 6, name: 'whatsapp ids', sql: m0006 },
  { version: 7, name: 'name search key', sql: m0007 },
  { version: 8, name: 'import runs', sql: m0008 },
  { version: 9, name: 'import existing contacts', sql: m0009 },
  { version: 10, name: 'number health', sql: m0010 },
  { version: 11, name: 'consent', sql: m0011 },
  { version: 12, name: 'automation api', sql: m0012 },
  { version: 13, name: 'cloud api', sql: m0013 },
  { version: 14, name: 'import record steps', sql: m0014 },
  { version: 15, name: 'command results and restored campaigns', sql: m0015 },
  { version: 16, name: 'webhooks on the local network', sql: m0016 },
  { version: 17, name: 'brake since a confirmed resume', sql: m0017 },
  { version: 18, name: "WhatsApp's limits per number", sql: m0018 },
  { version: 19, name: 'conversations', sql: m0019, rebuildsTables: true },
  { version: 20, name: 'campaign send times', sql: m0020 },
  { version: 21, name: 'contact search index', sql: m0021 },
  { version: 22, name: 'contacts not on WhatsApp', sql: m0022 },
  { version: 23, name: 'tags and segments', sql: m0023 },
  { version: 24, name: 'cloud api in 2026', sql: m0024 },
];
