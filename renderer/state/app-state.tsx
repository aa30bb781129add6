import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { AppInfo, Settings, SettingsPatch } from '../../shared/types';
import { api } from '../api/client';

export type AppState = {
  info: AppInfo;
  settings: Settings;
  connected: boolean;
  /** Web mode: the app is running but refuses this tab (its address was renewed); reconnecting cannot help. */
  accessLost: boolean;
  updateSettings(patch: SettingsPatch): Promise<Settings>;
};

const AppStateContext = createContext<AppState | undefined>(undefined);

type Load = { status: 'loading' } | { status: 'ready'; info: AppInfo; settings: Settings } | { status: 'failed'; error: unknown };

async function loadAll(): Promise<Load> {
  try {
    const [info, settings] = await Promise.all([api.call('app.info', {}), api.call('settings.get', {})]);
    return { status: 'ready', info, settings };
  } catch (error) {
    return { status: 'failed', error };
  }
}

/** Loads what every page needs (app info, settings) and keeps settings live through `settings.changed`. */
export function useAppLoader() {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [connected, setConnected] = useState(true);
  const [accessLost, setAccessLost] = useState(false);

  const fetchAll = useCallback(() => loadAll().then(setLoad), []);

  useEffect(() => {
    loadAll().then(setLoad, () => undefined);
    const offSettings = api.on('settings.changed', (settings) =>
      setLoad((current) => (current.status === 'ready' ? { ...current, settings } : current)),
    );
    const offConnection = api.onConnection((value) => {
      setConnected(value);
      // A reconnection may follow a server restart: refetch what the events could not tell us.
      if (value) void fetchAll();
    });
    const offAccess = api.onAccessLost(() => setAccessLost(true));
    return () => {
      offSettings();
      offConnection();
      offAccess();
    };
  }, [fetchAll]);

  const updateSettings = useCallback(async (patch: SettingsPatch) => {
    const settings = await api.call('settings.update', patch);
    setLoad((current) => (current.status === 'ready' ? { ...current, settings } : current));
    return settings;
  }, []);

  return { load, connected, accessLost, updateSettings, retry: fetchAll };
}

export function AppStateProvider({ value, children }: { value: AppState; children: ReactNode }) {
  return <AppStateContext.Provider value={value}>{children}</AppStateContext.Provider>;
}

export function useAppState(): AppState {
  const state = useContext(AppStateContext);
  if (!state) throw new Error('useAppState outside AppStateProvider');
  return state;
}
