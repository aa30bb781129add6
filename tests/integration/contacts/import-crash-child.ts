/**
 * One life of the app for the import crash test. `setup` imports the base list; `import` starts the big import and
 * prints its phases as they come (`PHASE reading|saving <fraction>`), then DONE — unless `close-at-saving` asks it to
 * close the app normally once saving has begun; `start` only starts the app (which takes up what a stop left),
 * waits until no import is being finished, and prints the notices the user would see.
 */
import fs from 'node:fs';
import { createApp } from '../../../electron/app/create-app';
import type { EventPayload } from '../../../shared/contract';

const [phase, dataDir, file, option] = process.argv.slice(2);
const app = await createApp({ dataDir: dataDir ?? '', version: '0.0.0', mode: 'web' });
const say = (line: string) => process.stdout.write(`${line}\n`);

async function call<T>(name: string, input: unknown): Promise<T> {
  const result = await app.dispatcher.dispatch(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

function finished(): Promise<EventPayload<'contacts.importFinished'>> {
  return new Promise((resolve) => app.bus.subscribe((e) => e.event === 'contacts.importFinished' && resolve(e.payload)));
}

async function importFile(listName: string, onPhase?: (p: EventPayload<'contacts.importProgress'>) => void) {
  const uploadId = (await app.files.saveUpload(fs.createReadStream(file ?? ''), `${listName}.csv`)).id;
  const done = finished();
  if (onPhase) app.bus.subscribe((e) => e.event === 'contacts.importProgress' && onPhase(e.payload));
  await call('contacts.import', { uploadId, sheet: null, headerRow: 1, phoneColumn: 1, nameColumn: 0, fieldColumns: [2, 3], defaultCountry: 'MX', list: { name: listName } });
  return done;
}

if (phase === 'setup') {
  const outcome = await importFile('Base');
  if (outcome.status !== 'done') throw new Error(`base import: ${outcome.status}`);
  await app.close();
  say('DONE');
} else if (phase === 'import') {
  let markClosed: ((value: 'closed') => void) | undefined;
  const closedLife = new Promise<'closed'>((resolve) => (markClosed = resolve));
  const outcome = importFile('Grande', (p) => {
    say(`PHASE ${p.phase} ${p.fraction.toFixed(3)}`);
    if (p.phase !== 'saving' || option !== 'close-at-saving' || !markClosed) return;
    const closed = markClosed;
    markClosed = undefined;
    void app.close().then(() => {
      say('CLOSED');
      closed('closed');
    });
  });
  // A close stops the import between two batches: it never finishes in this life.
  const ended = await Promise.race([outcome, closedLife]);
  if (ended !== 'closed') {
    say(`DONE ${ended.status}`);
    await app.close();
  }
} else {
  const waitFor = async () => {
    for (;;) {
      const { notices } = await call<{ notices: { kind: string }[] }>('contacts.importNotices', {});
      if (!notices.some((n) => n.kind === 'resuming')) return notices;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const notices = await waitFor();
  say(`NOTICES ${JSON.stringify(notices)}`);
  await app.close();
}
