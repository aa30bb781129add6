import type { DraftButton } from '../../../shared/cloud';
import { useI18n } from '../../i18n/i18n';

/** A template draft's buttons: quick replies, up to 2 links (one may end in {{1}}) and 1 code to copy (Meta's limits). */
export function DraftButtons({ buttons, onChange }: { buttons: DraftButton[]; onChange: (buttons: DraftButton[]) => void }) {
  const { t } = useI18n();
  const links = buttons.filter((b) => b.kind === 'url').length;
  const codes = buttons.filter((b) => b.kind === 'copy_code').length;
  const full = buttons.length >= 9;
  const set = (i: number, button: DraftButton) => onChange(buttons.map((b, j) => (j === i ? button : b)));
  return (
    <fieldset className="field draft-buttons" data-testid="cloud-draft-buttons">
      <legend>{t('cloud.buttonsTitle')}</legend>
      <p className="help">{t('cloud.buttonsHelp')}</p>
      {buttons.map((b, i) => (
        <div className="draft-button" key={i} data-testid="cloud-draft-button" data-kind={b.kind}>
          {b.kind !== 'copy_code' && (
            <input type="text" aria-label={t('cloud.buttonText')} placeholder={t('cloud.buttonText')} maxLength={25} required value={b.text} onChange={(e) => set(i, { ...b, text: e.target.value })} data-testid="cloud-draft-button-text" />
          )}
          {b.kind === 'url' && (
            <>
              <input type="url" aria-label={t('cloud.buttonUrl')} placeholder="https://" required value={b.url} onChange={(e) => set(i, { ...b, url: e.target.value })} data-testid="cloud-draft-button-url" />
              {/\{\{\s*1\s*\}\}$/.test(b.url) && (
                <input type="text" aria-label={t('cloud.buttonExample')} placeholder={t('cloud.buttonExample')} required value={b.example ?? ''} onChange={(e) => set(i, { ...b, example: e.target.value })} data-testid="cloud-draft-button-example" />
              )}
            </>
          )}
          {b.kind === 'copy_code' && (
            <input type="text" aria-label={t('cloud.codeExample')} placeholder={t('cloud.codeExample')} maxLength={15} required value={b.example} onChange={(e) => set(i, { ...b, example: e.target.value })} data-testid="cloud-draft-button-code" />
          )}
          <button type="button" className="button-secondary" onClick={() => onChange(buttons.filter((_, j) => j !== i))} aria-label={t('cloud.removeButton')}>✕</button>
        </div>
      ))}
      <div className="row">
        <button type="button" className="button-secondary" disabled={full} onClick={() => onChange([...buttons, { kind: 'quick_reply', text: '' }])} data-testid="cloud-draft-add-reply">{t('cloud.addQuickReply')}</button>
        <button type="button" className="button-secondary" disabled={full || links >= 2} onClick={() => onChange([...buttons, { kind: 'url', text: '', url: 'https://' }])} data-testid="cloud-draft-add-url">{t('cloud.addUrl')}</button>
        <button type="button" className="button-secondary" disabled={full || codes >= 1} onClick={() => onChange([...buttons, { kind: 'copy_code', example: '' }])} data-testid="cloud-draft-add-code">{t('cloud.addCopyCode')}</button>
      </div>
    </fieldset>
  );
}
