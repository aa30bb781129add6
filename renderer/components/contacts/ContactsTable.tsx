import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { Contact } from '../../../shared/contacts';
import { useI18n } from '../../i18n/i18n';
import { formatPhone } from '../../format';

const ROW_HEIGHT = 44;

/** A virtual table: only the rows on screen exist in the page, so 100k contacts scroll smoothly. */
export function ContactsTable(props: {
  total: number;
  row(index: number): Contact | undefined;
  ensure(start: number, end: number): void;
  version: number;
  selected: Set<number>;
  onToggle(id: number): void;
  onEdit(id: number): void;
  allSelected: boolean;
  onToggleAll(): void;
}) {
  const { t } = useI18n();
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual is the well-kept choice here
  const virtualizer = useVirtualizer({ count: props.total, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const { ensure } = props;
  useEffect(() => {
    if (props.total > 0) ensure(first, last);
  }, [first, last, ensure, props.total, props.version]);

  return (
    <div className="contacts-table" role="table" aria-rowcount={props.total} data-testid="contacts-table">
      <div role="rowgroup" className="thead">
        <div role="row" className="tr">
          <span role="columnheader" className="td check">
            <input type="checkbox" aria-label={t('contacts.selectAll')} checked={props.allSelected} disabled={props.total === 0} onChange={props.onToggleAll} data-testid="select-all" />
          </span>
          <span role="columnheader" className="td">{t('contacts.colName')}</span>
          <span role="columnheader" className="td">{t('contacts.colPhone')}</span>
          <span role="columnheader" className="td">{t('contacts.colStatus')}</span>
          <span role="columnheader" className="td">{t('contacts.colFields')}</span>
          <span role="columnheader" className="td actions" />
        </div>
      </div>
      <div ref={scroller} className="tbody-scroll" data-testid="contacts-scroll">
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const contact = props.row(item.index);
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={item.index + 2}
                className={`tr ${contact && props.selected.has(contact.id) ? 'selected' : ''}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                data-testid="contact-row"
                data-index={item.index}
              >
                {contact ? (
                  <>
                    <span role="cell" className="td check">
                      <input type="checkbox" aria-label={t('contacts.select', { name: contact.name ?? contact.phone })} checked={props.selected.has(contact.id)} onChange={() => props.onToggle(contact.id)} />
                    </span>
                    <span role="cell" className="td name" data-testid="contact-name">{contact.name ?? '—'}</span>
                    <span role="cell" className="td phone" data-testid="contact-phone">{formatPhone(contact.phone)}</span>
                    <span role="cell" className="td" data-testid="contact-status">
                      {contact.optedOut && <span className="badge badge-bad" data-testid="badge-opted-out">{t('contacts.badgeOptedOut')}</span>}
                      {contact.waStatus === 'not_on_whatsapp' && <span className="badge badge-warn">{t('contacts.badgeNoWhatsApp')}</span>}
                      {contact.waStatus === 'on_whatsapp' && <span className="badge badge-ok">{t('contacts.badgeWhatsApp')}</span>}
                      {contact.waStatus === 'unknown' && !contact.optedOut && <span className="unchecked">{t('contacts.unchecked')}</span>}
                    </span>
                    <span role="cell" className="td fields">
                      {Object.entries(contact.fields)
                        .slice(0, 3)
                        .map(([k, v]) => `${k}: ${v}`)
                        .join(' · ')}
                    </span>
                    <span role="cell" className="td actions">
                      <button type="button" className="button-link" onClick={() => props.onEdit(contact.id)} data-testid="edit-contact">
                        {t('contacts.edit')}
                      </button>
                    </span>
                  </>
                ) : (
                  <span role="cell" className="td loading-row">…</span>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
