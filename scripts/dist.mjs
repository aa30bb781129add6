// `npm run dist`: electron-builder, after saying plainly whether the installers will be signed. Signing and
// notarization come from environment variables only (see the README's "Signing"); without them the build still
// works, and says it is unsigned.
import { spawnSync } from 'node:child_process';

const env = process.env;
const has = (...names) => names.every((n) => env[n]);
const windows = has('WIN_CSC_LINK') || has('CSC_LINK') || has('AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET');
const mac = has('CSC_LINK');
const notarized = has('APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER') || has('APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID');
const line = (ok, yes, no) => `  ${ok ? '✔' : '✘'} ${ok ? yes : no}`;
process.stdout.write(
  [
    'Firma de los instaladores / Installer signing:',
    line(windows, 'Windows: firmado / signed', 'Windows: SIN FIRMA — SmartScreen advertirá al instalar / UNSIGNED — SmartScreen will warn'),
    line(mac, 'macOS: firmado / signed', 'macOS: SIN FIRMA — no se actualizará solo / UNSIGNED — it will not auto-update'),
    line(notarized, 'macOS: notarizado / notarized', 'macOS: sin notarizar / not notarized'),
    '',
  ].join('\n'),
);
if (!mac) env.CSC_IDENTITY_AUTO_DISCOVERY = 'false'; // no keychain guessing: unsigned means unsigned
const args = process.argv.slice(2);
const result = spawnSync('npx', ['electron-builder', ...(args.length ? args : ['--publish', 'never'])], { stdio: 'inherit', env, shell: process.platform === 'win32' });
process.exit(result.status ?? 1);
