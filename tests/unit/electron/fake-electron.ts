import { vi } from 'vitest';

type Handler = (...args: never[]) => unknown;

/** A stand-in for the Electron API (the binary cannot run here): records what main.ts asks of it. */
export function createFakeElectron(opts: { userData: string; appPath: string; lock?: boolean; keychain?: boolean }) {
  /** What the next native open dialog answers (Electron's `{ canceled, filePaths }`). */
  const dialogAnswers: { canceled: boolean; filePaths: string[] }[] = [];
  const appHandlers = new Map<string, Handler[]>();
  const ipcHandlers = new Map<string, Handler>();
  const protocolHandlers = new Map<string, (req: Request) => Promise<Response>>();
  const windows: FakeWindow[] = [];
  const menus: unknown[] = [];
  const permissionHandlers: Handler[] = [];

  class FakeWindow {
    url?: string;
    listeners = new Map<string, Handler>();
    contentsListeners = new Map<string, Handler>();
    webContents = { send: vi.fn(), isDestroyed: () => false, on: (event: string, fn: Handler) => this.contentsListeners.set(event, fn) };
    loads: string[] = [];
    constructor(readonly options: Record<string, unknown>) {
      windows.push(this);
    }
    loadURL(url: string) {
      this.url = url;
      this.loads.push(url);
      return Promise.resolve();
    }
    once(event: string, fn: Handler) {
      this.listeners.set(event, fn);
    }
    on(event: string, fn: Handler) {
      this.listeners.set(event, fn);
    }
    show() {}
    focus() {}
    restore() {}
    isMinimized() {
      return false;
    }
    isDestroyed() {
      return false;
    }
  }

  const electron = {
    app: {
      requestSingleInstanceLock: vi.fn(() => opts.lock ?? true),
      on: (event: string, fn: Handler) => appHandlers.set(event, [...(appHandlers.get(event) ?? []), fn]),
      whenReady: () => Promise.resolve(),
      getPath: () => opts.userData,
      getVersion: () => '0.1.0',
      getAppPath: () => opts.appPath,
      quit: vi.fn(),
      exit: vi.fn(),
    },
    BrowserWindow: FakeWindow,
    dialog: {
      showErrorBox: vi.fn(),
      showOpenDialog: vi.fn(() => Promise.resolve(dialogAnswers.shift() ?? { canceled: true, filePaths: [] })),
    },
    ipcMain: {
      handle: (channel: string, fn: Handler) => ipcHandlers.set(channel, fn),
      removeHandler: (channel: string) => ipcHandlers.delete(channel),
    },
    Menu: {
      buildFromTemplate: (template: unknown) => template,
      setApplicationMenu: (menu: unknown) => menus.push(menu),
    },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(),
      handle: (scheme: string, fn: (req: Request) => Promise<Response>) => protocolHandlers.set(scheme, fn),
    },
    session: { defaultSession: { setPermissionRequestHandler: (fn: Handler) => permissionHandlers.push(fn) } },
    shell: { openExternal: vi.fn(() => Promise.resolve()), openPath: vi.fn(() => Promise.resolve('')) },
    // Electron's safeStorage: the OS keychain's key seals a string into bytes only this user's session can open
    // (here a fixed XOR stands in for it, so a test can see the sealed file holds no secret in clear).
    safeStorage: {
      isEncryptionAvailable: () => opts.keychain ?? true,
      encryptString: (plain: string) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
      decryptString: (sealed: Buffer) => Buffer.from(sealed.map((b) => b ^ 0x5a)).toString('utf8'),
    },
  };

  return { electron, appHandlers, ipcHandlers, protocolHandlers, windows, menus, permissionHandlers, dialogAnswers };
}
