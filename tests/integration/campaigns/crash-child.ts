/**
 * One life of the app for the crash test: `setup` links two demo numbers, imports the contacts and launches the
 * campaign; `run` just starts the app (the engine resumes by itself) and prints DONE when the campaign completes.
 * The parent kills `run` lives with SIGKILL at random moments.
 */
import { createApp } from '../../../electron/app/create-app';
import { ScaledClock } from '../../../electron/core/clock';
import type { CampaignView } from '../../../shared/campaigns';
import type { NumberView } from '../../../shared/numbers';
import { armKillPoint, type KillPoint } from './kill-points';

const [phase, dataDir, originText, factorText, contactsFile, killAt] = process.argv.slice(2);
// `point:N`: this life dies with SIGKILL the Nth time it passes that point of the send window.
if (killAt) {
  const [point, nth] = killAt.split(':');
  armKillPoint(point as KillPoint, Number(nth));
}
const clock = new ScaledClock(Number(originText), Number(factorText));
const app = await createApp({
  dataDir: dataDir ?? '',
  version: '0.0.0',
  mode: 'web',
  clock,
  simSeed: 5,
  // Every way a send can fail, so that kills land in retries and reconciliations too (none leaves WhatsApp unable to
  // tell, so every row must end final).
  simBehaviour: { notOnWhatsAppPercent: 0, transientFailureRate: 0.03, maybeSentDeliveredRate: 0.03, maybeSentLostRate: 0.03, ackErrorRate: 0.01, replyRate: 0 },
});

async function call<T>(name: string, input: unknown): Promise<T> {
  const result = await app.dispatcher.dispatch(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

if (phase === 'setup') {
  const numbers = [await call<NumberView>('numbers.add', { kind: 'demo' }), await call<NumberView>('numbers.add', { kind: 'demo' })];
  for (const n of numbers) {
    while ((await call<NumberView[]>('numbers.list', {})).find((x) => x.id === n.id)?.state !== 'qr') await clock.sleep(100);
    await call('numbers.simulateScan', { id: n.id });
  }
  const uploadId = (await app.files.saveUpload((await import('node:fs')).createReadStream(contactsFile ?? ''), 'contactos.csv')).id;
  const finished = new Promise<number>((resolve) =>
    app.bus.subscribe((e) => e.event === 'contacts.importFinished' && resolve(e.payload.summary?.listId ?? 0)),
  );
  await call('contacts.import', { uploadId, sheet: null, headerRow: 1, phoneColumn: 1, nameColumn: 0, fieldColumns: [2], defaultCountry: 'MX', list: { name: 'Crash' }, consent: { source: 'customers', agreed: true } });
  const listId = await finished;
  const campaign = await call<CampaignView>('campaigns.create', {
    name: 'Crash',
    templateId: null,
    body: '{Hola|Buen día} {{nombre}}, te saluda Luis. Responde BAJA si no quieres más mensajes',
    mediaId: null,
    includeListIds: [listId],
    excludeListIds: [],
    numberIds: numbers.map((n) => n.id),
    settings: { pace: { preset: 'standard' }, window: null, timeZone: 'America/Mexico_City', startAt: null },
  });
  // Paused right after launch: the `run` lives do the sending.
  await call('campaigns.launch', { id: campaign.id });
  await call('campaigns.pause', { id: campaign.id });
  process.stdout.write(`CAMPAIGN ${campaign.id}\n`);
  await app.close();
  process.exit(0);
}

/** Answers from a chat (#33), to the first contacts: the same composer ids every life (a click repeated after a crash). */
const ANSWERS = 20;
async function answer(): Promise<void> {
  const { rows } = await call<{ rows: { id: number }[] }>('contacts.query', { offset: 0, limit: ANSWERS });
  for (const contact of rows) await call('conversations.answer', { contactId: contact.id, clientId: `crash-answer-${contact.id}`, text: 'Respuesta para {{nombre}}: sí tenemos envío.' });
}

if (phase === 'resume') {
  await call('campaigns.resume', { id: 1 });
  await answer();
  await app.close();
  process.exit(0);
}

// Each life asks for the same answers again: they exist, so nothing new is queued.
await answer();

// run: the engine picks up where it was, after recovery; report when everything is final.
const timer = setInterval(() => {
  void call<CampaignView>('campaigns.get', { id: 1 }).then((c) => {
    const answering = app.db.prepare("SELECT COUNT(*) FROM campaigns WHERE kind = 'chat' AND state = 'running'").pluck().get() as number;
    if (c.state === 'completed' && answering === 0) {
      clearInterval(timer);
      process.stdout.write('DONE\n');
      void app.close().then(() => process.exit(0));
    }
  });
}, 50);
