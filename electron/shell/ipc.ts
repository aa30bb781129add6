import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { IPC_CALL, IPC_EVENT } from '../../shared/bridge';
import type { Result } from '../../shared/errors';
import type { Dispatcher } from '../core/dispatcher';
import type { EventBus } from '../core/event-bus';
import { isAppUrl } from './window-security';

/** Serves the contract over IPC: one channel for calls (validated by the dispatcher), one for pushed events. */
export function registerIpc(ipcMain: IpcMain, dispatcher: Dispatcher, bus: EventBus, targets: () => WebContents[]): () => void {
  ipcMain.handle(IPC_CALL, async (event: IpcMainInvokeEvent, name: unknown, input: unknown, requestId: unknown): Promise<Result<unknown>> => {
    if (!isAppUrl(event.senderFrame?.url ?? '')) {
      return { ok: false, error: { code: 'forbidden', message: 'sender not allowed' } };
    }
    if (typeof name !== 'string') return { ok: false, error: { code: 'unknown_command', message: 'command name must be a string' } };
    return dispatcher.dispatch(name, input, { keyId: null, ...(typeof requestId === 'string' ? { requestId } : {}) });
  });
  const unsubscribe = bus.subscribe((envelope) => {
    for (const contents of targets()) if (!contents.isDestroyed()) contents.send(IPC_EVENT, envelope);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_CALL);
  };
}
