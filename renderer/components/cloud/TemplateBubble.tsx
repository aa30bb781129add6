import { fillParams, type TemplateButton, type WaTemplate } from '../../../shared/cloud';
import { useI18n } from '../../i18n/i18n';

export type BubbleTemplate = Pick<WaTemplate, 'header' | 'body' | 'cards'> & { buttons: Pick<TemplateButton, 'type' | 'text' | 'url'>[] };

const ICONS: Record<string, string> = { URL: '↗', COPY_CODE: '❐', PHONE_NUMBER: '☏', QUICK_REPLY: '↩' };

/**
 * A template as WhatsApp shows it: the header's file as a grey box, the text, then its buttons one under the other
 * below the bubble (a link with ↗, a code to copy with ❐, a quick reply with ↩); a carousel's cards side by side.
 * {{n}} stay as they are (or the values given).
 */
export function TemplateBubble({ template, values = [] }: { template: BubbleTemplate; values?: string[] }) {
  const { t } = useI18n();
  const text = fillParams(template.body, (n, whole) => values[n - 1] || whole);
  return (
    <div className="wa-preview" data-testid="template-bubble">
      <div className="wa-bubble">
        {template.header !== 'none' && template.header !== 'text' && <div className="wa-bubble-media">{t(`cloud.headers.${template.header}`)}</div>}
        <p className="wa-bubble-text">{text}</p>
      </div>
      {template.cards.length === 0 && <Buttons buttons={template.buttons} />}
      {template.cards.length > 0 && (
        <div className="wa-carousel" data-testid="template-cards">
          {template.cards.map((card, i) => (
            <div className="wa-card" key={i} data-testid="template-card">
              <div className="wa-bubble-media">{t(`cloud.headers.${card.header}`)}</div>
              <p className="wa-bubble-text">{card.body}</p>
              <Buttons buttons={card.buttons} />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

function Buttons({ buttons }: { buttons: BubbleTemplate['buttons'] }) {
  const { t } = useI18n();
  if (buttons.length === 0) return null;
  return (
    <ul className="wa-buttons" data-testid="template-buttons">
      {buttons.map((b, i) => (
        <li key={i} data-testid="template-button" data-type={b.type} title={b.url ?? undefined}>
          <span aria-hidden="true">{ICONS[b.type] ?? '•'}</span> {b.type === 'COPY_CODE' ? t('cloud.copyCode') : b.text}
        </li>
      ))}
    </ul>
  );
}
