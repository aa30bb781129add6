import type { WhatzMeBridge } from '../../shared/bridge';
import { createClient, type Client } from './create-client';
import { electronTransport } from './transport.electron';
import { webTransport } from './transport.web';

export { ApiCallError, createClient, type Client } from './create-client';

declare global {
  interface Window {
    api?: WhatzMeBridge;
  }
}

/** The one client of the app: IPC inside Electron, HTTP in a browser. */
export const api: Client = createClient(window.api ? electronTransport(window.api) : webTransport());
