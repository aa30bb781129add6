import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CALL, IPC_EVENT, type WhatzMeBridge } from '../../shared/bridge';
import type { EventEnvelope } from '../../shared/contract';

/** The whole surface the page gets: call a command, listen to an event. No Node, no ipcRenderer. */
const bridge: WhatzMeBridge = {
  call: (command, input, requestId) => ipcRenderer.invoke(IPC_CALL, command, input, requestId),
  on: (event, listener) => {
    const handler = (_: IpcRendererEvent, envelope: EventEnvelope) => {
      if (envelope.event === event) listener(envelope.payload);
    };
    ipcRenderer.on(IPC_EVENT, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, handler);
    };
  },
};

contextBridge.exposeInMainWorld('api', bridge);
