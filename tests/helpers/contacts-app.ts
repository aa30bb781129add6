import fs from 'node:fs';
import path from 'node:path';
import { createApp, type App, type AppConfig } from '../../electron/app/create-app';
import { startServer, type RunningServer } from '../../electron/server';
import { openApiDocument } from '../../electron/api';
import type { EventPayload } from '../../shared/contract';
import { request } from './http';
import { tempDir } from './temp-dir';

export type TestApp = {
  app: App;
  server: RunningServer;
  dataDir: string;
  call<T = unknown>(name: string, input?: unknown): Promise<T>;
  upload(file: string, name?: string): Promise<string>;
  importFile(file: string, overrides?: Record<string, unknown>): Promise<EventPayload<'contacts.importFinished'>>;
  close(): Promise<void>;
};

/** The real app behind the real HTTP server on a temp data folder, with helpers that speak the contract. */
export async function startTestApp(config: Partial<AppConfig> = {}, dataDir = tempDir()): Promise<TestApp> {
  const app = await createApp({ dataDir, version: '0.0.0', mode: 'web', ...config });
  const server = await startServer({
    dispatcher: app.dispatcher,
    bus: app.bus,
    logger: app.logger,
    rendererDir: dataDir,
    files: app.files,
    media: (id) => app.media.file(id),
    apiKeys: app.apiKeys,
    openapi: () => openApiDocument('0.0.0'),
  });
  const headers = { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' };
  const call = async <T>(name: string, input: unknown = {}): Promise<T> => {
    const reply = await request(server.port, { method: 'POST', path: `/api/${name}`, headers, body: JSON.stringify(input) });
    const body = reply.json() as { ok: boolean; value?: T; error?: { code: string; message: string; field?: string } };
    if (!body.ok) throw Object.assign(new Error(`${name}: ${body.error?.code} ${body.error?.message}`), body.error);
    return body.value as T;
  };
  const upload = async (file: string, name = path.basename(file)) => {
    const reply = await request(server.port, {
      method: 'POST',
      path: `/api/upload?name=${encodeURIComponent(name)}`,
      headers: { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/octet-stream' },
      body: fs.readFileSync(file),
    });
    const body = reply.json() as { ok: boolean; value: { uploadId: string } };
    if (!body.ok) throw new Error(`upload failed: ${reply.body}`);
    return body.value.uploadId;
  };
  const importFile = async (file: string, overrides: Record<string, unknown> = {}) => {
    const uploadId = await upload(file);
    const preview = await call<{ headers: string[]; headerRow: number; sheet: string | null; suggested: { phoneColumn: number; nameColumn: number | null } }>(
      'contacts.preview',
      { uploadId },
    );
    const { phoneColumn, nameColumn } = preview.suggested;
    const finished = new Promise<EventPayload<'contacts.importFinished'>>((resolve) => {
      const off = app.bus.subscribe((e) => {
        if (e.event === 'contacts.importFinished') {
          off();
          resolve(e.payload);
        }
      });
    });
    await call('contacts.import', {
      uploadId,
      sheet: preview.sheet,
      headerRow: preview.headerRow,
      phoneColumn,
      nameColumn,
      fieldColumns: preview.headers.map((_, i) => i).filter((i) => i !== phoneColumn && i !== nameColumn),
      defaultCountry: 'MX',
      list: { name: path.basename(file) },
      ...overrides,
    });
    return finished;
  };
  return {
    app,
    server,
    dataDir,
    call,
    upload,
    importFile,
    close: async () => {
      await server.close();
      await app.close();
    },
  };
}
