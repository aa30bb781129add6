import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CampaignView } from '../../shared/campaigns';
import type { Contact } from '../../shared/contacts';
import type { Chat } from '../../shared/conversations';
import { suiteTempDir } from '../helpers/temp-dir';
import { TESTDATA } from '../helpers/paths';
import { screenshot } from './support/browser';
import { apiOf, importedList, linkedDemoNumber, until } from './support/api';
import { webAppSuite } from './support/suite';

/**
 * Conversations (#33) as a user meets them, in Chromium on the demo number: a campaign brings replies, the user
 * opens one, answers with a saved answer and a photo and sees it delivered and read; the chat shows the campaign
 * message, the reply and the answer in order; the count of conversations waiting falls; an auto-reply answers
 * "precio" once and not again within its period, and never an opted-out contact.
 */
// The demo's contacts stay quiet on their own: the replies below are the only ones.
const suite = webAppSuite(['--demo-reply-rate', '0']);
const api = apiOf(() => suite.web);
const BODY = 'Hola {{nombre}}, llegaron las playeras de temporada a La Espiga. Si no deseas recibir más mensajes, responde CANCELAR';

describe('conversations in Chromium', () => {
  it('answers a reply with a saved answer and a photo, auto-replies once, and keeps every count right', async () => {
    const page = suite.browser.page;
    const number = await linkedDemoNumber(api, 'Tienda Centro');
    const csv = path.join(suiteTempDir(), 'clientes-chat.csv');
    fs.writeFileSync(csv, `Nombre,Teléfono\n${['Ana López', 'Beto Ruiz', 'Carla Díaz', 'Dante Gil'].map((n, i) => `${n},55${String(31_000_000 + i * 7919)}`).join('\n')}\n`);
    const list = await importedList(suite.web, api, csv, 'Chat', 4);
    const contacts = (await api<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 10, listId: list.id })).rows;
    const phoneOf = (name: string) => contacts.find((c) => c.name === name)!.phone;

    // Mensajes: a saved answer, written once, picked later in a chat with "/".
    await page.getByTestId('nav-messages').click();
    await page.getByTestId('new-answer').click();
    await page.getByTestId('message-name').fill('precio');
    await page.getByTestId('message-body').fill('Hola {{nombre}}, la playera cuesta $199 y el envío es gratis.');
    await page.getByTestId('save-message').click();
    await page.getByTestId('saved-answers-list').getByTestId('answer-item').filter({ hasText: '/precio' }).waitFor();

    // Ajustes → Conversaciones: auto-replies on, one keyword; read receipts and notifications stay on.
    await page.getByTestId('nav-settings').click();
    const form = page.getByTestId('settings-conversations');
    expect(await form.getByTestId('settings-chat-receipts').isChecked()).toBe(true);
    expect(await form.getByTestId('settings-reply-notifications').isChecked()).toBe(true);
    expect(await form.getByTestId('auto-enabled').isChecked()).toBe(false);
    await form.getByTestId('auto-enabled').check();
    expect(await form.getByTestId('auto-period').inputValue()).toBe('24');
    expect(await form.getByTestId('auto-away').isChecked()).toBe(false);
    expect(await form.getByTestId('auto-greeting').isChecked()).toBe(false);
    expect(await form.getByTestId('auto-away-text').inputValue()).toContain('fuera de horario');
    await form.getByTestId('auto-keyword-add').click();
    const keyword = form.getByTestId('auto-keyword').first();
    await keyword.getByTestId('auto-keyword-text').fill('Nuestra lista de precios está en laespiga.mx/precios');
    await form.getByTestId('auto-save').click();
    // Words missing: said, nothing saved.
    expect(await form.getByRole('alert').innerText()).toContain('Cada palabra clave necesita palabras');
    await keyword.getByTestId('auto-keyword-words').fill('precio, cuánto cuesta');
    await form.getByTestId('auto-save').click();
    await until(() => api<{ autoReplies: { enabled: boolean; keywords: { words: string[] }[] } }>('settings.get'), (s) => s.autoReplies.enabled && s.autoReplies.keywords[0]?.words.length === 2);

    // Before anyone writes: the inbox says so, and with a filter, that nothing matches it.
    await page.getByTestId('nav-inbox').click();
    await expect.poll(() => page.getByTestId('inbox-empty').innerText()).toContain('Todavía nadie te ha escrito');
    await page.getByTestId('inbox-show').selectOption('waiting');
    await expect.poll(() => page.getByTestId('inbox-empty').innerText()).toBe('No hay respuestas con estos filtros.');
    await page.getByTestId('inbox-show').selectOption('all');

    // A campaign to the four; then Ana asks the price (twice), Beto the hours, Carla opts out and then asks the price.
    const pace = { preset: 'custom', perMinute: 100, gapMs: [200, 400], batch: [100, 100], pauseMs: [0, 0], dailyCap: 6000 };
    const campaign = await api<CampaignView>('campaigns.create', {
      name: 'Temporada', templateId: null, body: BODY, mediaId: null, includeListIds: [list.id], excludeListIds: [], numberIds: [number.id],
      settings: { pace, window: null, timeZone: 'America/Mexico_City', startAt: null },
    });
    await api('campaigns.launch', { id: campaign.id });
    await until(() => api<CampaignView>('campaigns.get', { id: campaign.id }), (c) => c.state === 'completed', 60_000);
    await api('numbers.simulateReply', { id: number.id, phone: phoneOf('Ana López'), body: '¿Cuál es el precio de la playera?' });
    // The keyword answers at once; asked again in other words, nothing more within its period.
    const autoTo = async (name: string) => (await api<Chat>('conversations.get', { phone: phoneOf(name) })).items.filter((i) => i.kind === 'auto');
    await until(() => autoTo('Ana López'), (items) => items.length === 1 && ['sent', 'delivered', 'read'].includes(items[0]!.state ?? ''));
    await api('numbers.simulateReply', { id: number.id, phone: phoneOf('Ana López'), body: '¿Y cuánto cuesta el envío?' });
    await api('numbers.simulateReply', { id: number.id, phone: phoneOf('Beto Ruiz'), body: 'Hola, ¿cuál es su horario?' });
    await api('numbers.simulateReply', { id: number.id, phone: phoneOf('Carla Díaz'), body: 'BAJA' });
    await api('numbers.simulateReply', { id: number.id, phone: phoneOf('Carla Díaz'), body: '¿y el precio?' });
    await api('numbers.simulateReply', { id: number.id, phone: phoneOf('Dante Gil'), body: 'Les mando mi pedido', media: 'document' });
    await api('numbers.simulateReply', { id: number.id, phone: phoneOf('Dante Gil'), body: '', media: 'audio' });

    // The sidebar counts the conversations waiting for a person (an auto-reply does not answer them): Ana, Beto, Carla, Dante.
    const badge = page.getByTestId('nav-waiting');
    await expect.poll(() => badge.innerText(), { timeout: 15_000 }).toBe('4');

    // Home: the conversations waiting, linked to the inbox.
    await page.getByTestId('nav-home').click();
    await page.getByTestId('dash-conversations').waitFor();
    expect(await page.getByTestId('dash-waiting').innerText()).toBe('4 conversaciones esperan tu respuesta');

    await page.getByTestId('nav-inbox').click();
    await page.getByTestId('page-inbox').waitFor();
    await expect.poll(() => page.getByTestId('reply').count()).toBe(4);
    // Latest first: Dante's voice note on top; each with its unread count.
    const rows = page.getByTestId('reply');
    expect(await rows.first().getAttribute('data-phone')).toBe(phoneOf('Dante Gil'));
    expect(await rows.first().getByTestId('unread').innerText()).toBe('2');
    const ana = page.locator(`[data-testid="reply"][data-phone="${phoneOf('Ana López')}"]`);
    expect(await ana.innerText()).toContain('¿Y cuánto cuesta el envío?');
    expect(await ana.innerText()).toContain('Temporada');
    expect(await page.locator(`[data-testid="reply"][data-phone="${phoneOf('Carla Díaz')}"]`).getAttribute('data-opt-out')).toBe('true');
    // Notifications: the page offers to turn them on (the browser asks the user).
    await page.getByTestId('notifications-allow').waitFor();

    // Ana's chat: the campaign message, her question, in order; opening it reads it (no unread left).
    await ana.getByTestId('open-chat').click();
    const chat = page.getByTestId('chat');
    await chat.waitFor();
    expect(await chat.getByTestId('chat-name').innerText()).toBe('Ana López');
    await expect.poll(() => chat.getByTestId('chat-item').count()).toBe(4);
    expect(await chat.getByTestId('chat-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-kind')))).toEqual(['campaign', 'in', 'auto', 'in']);
    const auto = chat.locator('[data-testid="chat-item"][data-kind="auto"]');
    expect(await auto.innerText()).toContain('laespiga.mx/precios');
    expect(await auto.innerText()).toContain('Para hablar con una persona');
    expect(await chat.getByTestId('chat-item').first().innerText()).toContain('llegaron las playeras');
    await expect.poll(() => ana.getByTestId('unread').count()).toBe(0);

    // An answer with a field the contact lacks: said in Spanish, nothing sent.
    const input = chat.getByTestId('chat-input');
    await input.fill('Hola {{Ciudad}}');
    await chat.getByTestId('chat-send').click();
    expect(await chat.getByTestId('chat-error').innerText()).toContain('Ciudad');

    // "/pre" offers the saved answer; picked, then a photo attached; sent.
    await input.fill('/pre');
    await chat.getByTestId('saved-answers').waitFor();
    await chat.getByTestId('saved-answer').filter({ hasText: '/precio' }).click();
    expect(await input.inputValue()).toBe('Hola {{nombre}}, la playera cuesta $199 y el envío es gratis.');
    await chat.getByTestId('chat-attach').setInputFiles(path.join(TESTDATA, 'media', 'promo.jpg'));
    await chat.getByTestId('chat-attachment').waitFor();
    await page.setViewportSize({ width: 1280, height: 720 });
    await screenshot(page, 'conversations-compose-1280x720');
    await chat.getByTestId('chat-send').click();
    // Delivered, then read: Ana is in the chat.
    const answer = chat.locator('[data-testid="chat-item"][data-kind="answer"]');
    await answer.waitFor();
    await chat.locator('[data-testid="chat-item"][data-kind="answer"][data-state="read"]').waitFor({ timeout: 30_000 });
    expect(await answer.innerText()).toContain('Hola Ana López, la playera cuesta $199');
    expect(await answer.getByTestId('chat-image').count()).toBe(1);
    expect(await answer.getByTestId('chat-ticks').getAttribute('aria-label')).toBe('Leído');
    expect(await chat.getByTestId('chat-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-kind')))).toEqual(['campaign', 'in', 'auto', 'in', 'answer']);
    await page.setViewportSize({ width: 1366, height: 800 });
    await screenshot(page, 'conversations-answered-1366x800');
    // Answered: one fewer waiting, and Ana is "mine".
    await expect.poll(() => badge.innerText()).toBe('3');
    await page.getByTestId('inbox-show').selectOption('mine');
    await expect.poll(() => page.getByTestId('reply').count()).toBe(1);
    await page.getByTestId('inbox-show').selectOption('waiting');
    await expect.poll(() => page.getByTestId('reply').count()).toBe(3);
    const sent = await api<Chat>('conversations.get', { phone: phoneOf('Ana López') });
    expect(sent.items.filter((i) => i.kind === 'answer')).toHaveLength(1);

    // Beto asked the hours: no rule for that, so nothing automatic; he waits for the user.
    const beto = page.locator(`[data-testid="reply"][data-phone="${phoneOf('Beto Ruiz')}"]`);
    await beto.getByTestId('open-chat').click();
    await api('numbers.simulateReply', { id: number.id, phone: phoneOf('Beto Ruiz'), body: 'Perdón, ¿qué horario tienen el domingo?' });
    await expect.poll(() => chat.locator('[data-testid="chat-item"][data-kind="in"]').count()).toBe(2);
    expect(await chat.locator('[data-testid="chat-item"][data-kind="auto"]').count()).toBe(0);
    expect(await beto.innerText()).toContain('Temporada');
    // A label and a note on Beto's conversation; then the label filters the list.
    await chat.getByTestId('chat-label').fill('horarios');
    await chat.getByTestId('chat-note').fill('Pregunta por el domingo');
    await chat.getByTestId('chat-name').click();
    await page.getByTestId('inbox-label').selectOption('horarios');
    await expect.poll(() => page.getByTestId('reply').count()).toBe(1);
    await page.getByTestId('inbox-label').selectOption('');
    // Marked handled from the chat: no longer waiting.
    await chat.getByTestId('chat-handled').click();
    await expect.poll(() => badge.innerText()).toBe('2');

    // Carla opted out: no auto-reply to her question, and the chat cannot write to her.
    await page.getByTestId('inbox-show').selectOption('opt_out');
    await page.locator(`[data-testid="reply"][data-phone="${phoneOf('Carla Díaz')}"]`).getByTestId('open-chat').click();
    await chat.getByTestId('chat-composer-off').waitFor();
    expect(await chat.locator('[data-testid="chat-item"][data-kind="auto"]').count()).toBe(0);

    expect(await autoTo('Carla Díaz')).toEqual([]);
    expect(await autoTo('Ana López')).toHaveLength(1);

    // Dante sent a PDF and a voice note: both kept and shown.
    await page.getByTestId('inbox-show').selectOption('all');
    await page.getByTestId('inbox-number').selectOption({ label: 'Tienda Centro' });
    await page.locator(`[data-testid="reply"][data-phone="${phoneOf('Dante Gil')}"]`).getByTestId('open-chat').click();
    await chat.getByTestId('chat-doc').waitFor();
    // Beto's label and note stayed his.
    expect(await chat.getByTestId('chat-label').inputValue()).toBe('');
    expect(await chat.getByTestId('chat-note').inputValue()).toBe('');
    expect(await chat.getByTestId('chat-doc').innerText()).toContain('pedido.pdf');
    await chat.getByTestId('chat-audio').waitFor();
    // "no gracias" may be an opt-out: asked in the chat itself, settled with one click.
    await api('numbers.simulateReply', { id: number.id, phone: phoneOf('Dante Gil'), body: 'no gracias' });
    await chat.getByTestId('chat-doubt').waitFor();
    await chat.getByTestId('chat-doubt').getByTestId('chat-doubt-keep').click();
    await chat.getByTestId('chat-doubt').waitFor({ state: 'detached' });
    expect(await chat.getByTestId('chat-doubt-opt-out').count()).toBe(0);
    await screenshot(page, 'conversations-media-1366x800');

    // From the contact and from the campaign report, the same chat opens.
    await page.goto(`${suite.web.url}#/campanas/${campaign.id}/reporte`);
    await page.getByTestId('row-chat').first().waitFor();
    await page.getByTestId('row-chat').filter({ hasText: '55 3100 0000' }).click();
    await page.locator(`[data-testid="chat"][data-phone="${phoneOf('Ana López')}"] [data-testid="chat-name"]`).waitFor();
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('contacts-search').fill('Beto');
    await page.getByTestId('contact-row').filter({ hasText: 'Beto Ruiz' }).getByTestId('edit-contact').click();
    await page.getByTestId('contact-chat').click();
    expect(await page.locator(`[data-testid="chat"][data-phone="${phoneOf('Beto Ruiz')}"]`).getByTestId('chat-name').innerText()).toBe('Beto Ruiz');

    // Home: fewer waiting now, and how fast the user answers.
    await page.getByTestId('nav-home').click();
    expect(await page.getByTestId('dash-waiting').innerText()).toBe('2 conversaciones esperan tu respuesta');
    expect(await page.getByTestId('dash-answer-time').innerText()).toMatch(/^respondes en \d+ min \(mediana, 30 días\)$/);
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 180_000);
});
