import { STOP_PROMOTIONS_PAYLOAD, type CloudTemplateChoice, type WaTemplate } from '../../shared/cloud';
import type { OutgoingMessage } from '../whatsapp';

type File = NonNullable<OutgoingMessage['media']>;

/**
 * One contact's template send: the body's values, then each button's (stored after the body's in `sends.params`,
 * in the order the campaign chose them), and "Stop promotions" with the payload the app knows it by, so a tap is
 * recognised whatever its words. A carousel's cards carry the campaign's files, one per card.
 */
export function templateSend(template: WaTemplate, choice: CloudTemplateChoice, values: string[], callback: string, file: (mediaId: string) => File | null): NonNullable<OutgoingMessage['template']> {
  const buttons: NonNullable<NonNullable<OutgoingMessage['template']>['buttons']> = [];
  (choice.buttons ?? []).forEach((b, i) => {
    const kind = template.buttons[b.index]?.type === 'COPY_CODE' ? 'copy_code' : 'url';
    buttons.push({ index: b.index, kind, value: values[template.params + i] ?? '' });
  });
  template.buttons.forEach((b, index) => {
    if (b.stopPromotions) buttons.push({ index, kind: 'quick_reply', value: STOP_PROMOTIONS_PAYLOAD });
  });
  const cards = (choice.cardMediaIds ?? []).map(file).filter((f): f is File => f !== null);
  return {
    name: template.name,
    language: template.language,
    params: values.slice(0, template.params),
    header: template.header,
    callback,
    ...(buttons.length ? { buttons: buttons.sort((a, b) => a.index - b.index) } : {}),
    ...(cards.length ? { cards } : {}),
  };
}
