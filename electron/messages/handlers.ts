import type { Contact } from '../../shared/contacts';
import type { HandlerGroup } from '../core/dispatcher';
import { AppError } from '../core/app-error';
import type { Db } from '../db';
import type { WaTemplate } from '../../shared/cloud';
import type { ContactsRepo } from '../contacts';
import type { FileStore } from '../files';
import type { SettingsStore } from '../settings';
import { mainText } from '../i18n';
import { analyzeMessage } from './checks';
import { fieldCoverage, lacksSql, neededFields, type Audience } from './coverage';
import type { MediaStore } from './media';
import { BUILTIN_FIELDS, parseTemplate, renderTemplate, type RenderContact } from './template';
import { mediaView, type TemplatesRepo } from './templates-repo';
import type { TestSender } from './test-send';

/** What a preview shows when there are no contacts yet: an invented one with every field filled. */
function sampleContact(fields: string[]): RenderContact {
  return { id: 0, name: 'Ana', phone: '+525512345678', fields: Object.fromEntries(fields.map((f) => [f, f])) };
}

export function messagesHandlers(deps: {
  db: Db;
  templates: TemplatesRepo;
  media: MediaStore;
  files: FileStore;
  contacts: ContactsRepo;
  tests: TestSender;
  settings: SettingsStore;
  /** Cloud API templates by id (a test send from a Cloud number sends one). */
  cloudTemplate: (id: number) => WaTemplate | undefined;
  /** A campaign's lists and segments as one condition over `contacts c` (null: everyone). */
  audience: (listIds: number[], segmentIds: number[]) => Audience | null;
}) {
  const knownFields = () => deps.contacts.fieldNames();
  const toRender = (c: Contact): RenderContact => ({ id: c.id, name: c.name, phone: c.phone, fields: c.fields });

  return {
    'media.add': async ({ uploadId }) => {
      const upload = deps.files.upload(uploadId);
      const stored = await deps.media.add(upload.path, upload.fileName);
      return mediaView(deps.media, stored.id);
    },
    'templates.list': ({ kind }) => deps.templates.list(kind),
    'templates.save': (input) => deps.templates.save(input),
    'templates.duplicate': ({ id }) => deps.templates.duplicate(id, mainText(deps.settings.get().language, 'templates.copySuffix')),
    'templates.delete': ({ id }) => {
      deps.templates.delete(id);
      return { id };
    },
    'messages.analyze': ({ body }) => {
      const fields = knownFields();
      const { errors } = parseTemplate(body, fields);
      if (errors.length === 0 && body.trim() === '') errors.push({ code: 'empty_result', at: 0, line: 1, column: 1 });
      return { errors, ...analyzeMessage(body, [...BUILTIN_FIELDS, ...fields]), fields: [...BUILTIN_FIELDS, ...fields] };
    },
    'messages.preview': ({ body, contactIds, listId, listIds, segmentIds, sample, seed }) => {
      const fields = knownFields();
      const parsed = parseTemplate(body, fields);
      const audience = deps.audience(listIds?.length ? listIds : listId ? [listId] : [], segmentIds ?? []);
      // Of the lists, who lacks a field the message needs: said where the message is written (#30 item 2).
      const needed = neededFields(parsed.nodes);
      const coverage = contactIds?.length ? null : fieldCoverage(deps.db, audience, needed, fields);
      let contacts: RenderContact[];
      if (contactIds?.length) contacts = contactIds.map((id) => toRender(deps.contacts.get(id)));
      else {
        // A few random contacts who will receive it (never one who opted out, nor one it would skip for a missing
        // field while others have them all), chosen in SQLite so a big list costs nothing.
        const pick = (withAllFields: boolean) => {
          const lacks = withAllFields ? needed.map((f) => lacksSql(f, fields)) : [];
          return deps.db
            .prepare(
              `SELECT c.id FROM contacts c
               WHERE NOT EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone = c.phone)
                 ${audience ? `AND ${audience.sql}` : ''}
                 ${lacks.map((l) => `AND NOT (${l.sql})`).join(' ')}
               ORDER BY random() LIMIT ?`,
            )
            .pluck()
            .all(...lacks.flatMap((l) => l.params), sample ?? 3, audience?.params ?? {}) as number[];
        };
        const rows = needed.length > 0 ? pick(true) : [];
        contacts = (rows.length > 0 ? rows : pick(false)).map((id) => toRender(deps.contacts.get(id)));
      }
      const isSample = contacts.length === 0;
      if (isSample) contacts = [sampleContact(fields)];
      const items = contacts.map((c) => {
        const rendered = renderTemplate(body, c, seed ?? 1);
        return { contact: { id: c.id, name: c.name, phone: c.phone, sample: isSample }, text: rendered.text, missing: rendered.missing };
      });
      return { items, errors: parsed.errors, coverage };
    },
    'messages.testSend': async ({ numberId, to, body, mediaId, contactId, cloud }) => {
      const contact = contactId ? toRender(deps.contacts.get(contactId)) : sampleContact(knownFields());
      const rendered = renderTemplate(body, contact, Date.now());
      if (rendered.errors.length > 0) throw new AppError('template_invalid', rendered.errors.map((e) => e.code).join(', '), 'body');
      if (!cloud) return deps.tests.send({ numberId, to, text: rendered.text, mediaId });
      // A Cloud number sends the approved template with this contact's values, as the campaign will.
      const template = deps.cloudTemplate(cloud.templateId);
      if (!template || template.status !== 'APPROVED') throw new AppError('cloud_template_not_approved', `template ${cloud.templateId} is not approved`, 'cloud.templateId');
      const params = cloud.params.map((field) => renderTemplate(`{{${field}}}`, contact, 1).text);
      return deps.tests.send({ numberId, to, text: rendered.text, mediaId, template: { name: template.name, language: template.language, params, header: template.header, callback: 'whatzme:test' } });
    },
  } satisfies HandlerGroup;
}
