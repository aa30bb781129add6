import type { WhatzMeBridge } from '../../shared/bridge';
import type { Transport } from './transport';

export function electronTransport(bridge: WhatzMeBridge): Transport {
  return {
    call: (command, input) => bridge.call(command, input),
    on: (event, listener) => bridge.on(event, listener),
    onConnection: (listener) => {
      listener(true); // IPC does not drop
      return () => undefined;
    },
    onAccessLost: () => () => undefined, // the window is the app's own
  };
}
