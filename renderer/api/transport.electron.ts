import type { WhatzMeBridge } from '../../shared/bridge';
import { CONNECTION_LOST, type Transport } from './transport';

export function electronTransport(bridge: WhatzMeBridge): Transport {
  return {
    // invoke() rejects only when the main process could not answer at all.
    call: (command, input, requestId) => bridge.call(command, input, requestId).catch(() => CONNECTION_LOST),
    on: (event, listener) => bridge.on(event, listener),
    onConnection: (listener) => {
      listener(true); // IPC does not drop
      return () => undefined;
    },
    onAccessLost: () => () => undefined, // the window is the app's own
  };
}
