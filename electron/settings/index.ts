export { SettingsStore, defaultSettings } from './settings-store';
export { settingsHandlers, type PickFile } from './handlers';
