import type { EventBus } from '../core/event-bus';
import type { HandlerGroup } from '../core/dispatcher';
import type { SettingsStore } from './settings-store';

export function settingsHandlers(store: SettingsStore, bus: EventBus) {
  return {
    'settings.get': () => store.get(),
    'settings.update': (patch) => {
      const settings = store.update(patch);
      bus.emit('settings.changed', settings);
      return settings;
    },
  } satisfies HandlerGroup;
}
