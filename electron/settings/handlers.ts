import { AppError } from '../core/app-error';
import type { EventBus } from '../core/event-bus';
import type { HandlerGroup } from '../core/dispatcher';
import type { SettingsStore } from './settings-store';

/** Asks the user for a file through the OS's own dialog (Electron); absent in web mode. */
export type PickFile = () => Promise<string | null>;

/** How a browser is chosen: the dialog (desktop only) and the check that a file is a Chrome/Edge/Chromium. */
export type BrowserChoice = { pick?: PickFile; isBrowser: (file: string) => boolean };

export function settingsHandlers(store: SettingsStore, bus: EventBus, browser: BrowserChoice = { isBrowser: () => false }) {
  const changed = () => {
    const settings = store.get();
    bus.emit('settings.changed', settings);
    return settings;
  };
  return {
    'settings.get': () => store.get(),
    'settings.update': (patch) => {
      store.update(patch);
      return changed();
    },
    'settings.chooseBrowser': async ({ reset }) => {
      if (reset) {
        store.setBrowserPath(null);
        return changed();
      }
      if (!browser.pick) throw new AppError('not_available', 'the browser is chosen with --browser in web mode');
      const file = await browser.pick();
      if (file === null) return store.get(); // the user closed the dialog
      if (!browser.isBrowser(file)) throw new AppError('browser_invalid', 'not a Chrome, Edge or Chromium executable');
      store.setBrowserPath(file);
      return changed();
    },
  } satisfies HandlerGroup;
}
