export { SettingsStore, defaultSettings } from './settings-store';
export { settingsHandlers } from './handlers';
