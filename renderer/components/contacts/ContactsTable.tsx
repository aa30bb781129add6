import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Contact } from '../../../shared/contacts';
import { useI18n } from '../../i18n/i18n';
import { formatPhone } from '../../format';

const ROW_HEIGHT = 44;
/** Rows kept above and below the screen. */
const OVERSCAN = 12;
/**
 * The tallest the scrolled area gets: Chromium caps an element's height (about 33.5 million pixels), so a million
 * contacts at 44 px could not be scrolled past the 762,000th (#34). Past this height the scrollbar's range is mapped
 * onto the whole list: every row is reachable, the thumb says where in the list one is.
 */
const MAX_HEIGHT = 8_000_000;

/**
 * A virtual table: only the rows on screen exist in the page, so a million contacts scroll smoothly. The rows on
 * screen follow from the scroll position: `top` in the list is the scroll position scaled from the scrolled area's
 * range to the list's (one to one below MAX_HEIGHT).
 */
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
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(0);
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const onScroll = () => setScrollTop(element.scrollTop);
    const resized = new ResizeObserver(() => setViewport(element.clientHeight));
    element.addEventListener('scroll', onScroll, { passive: true });
    resized.observe(element);
    setViewport(element.clientHeight);
    return () => {
      element.removeEventListener('scroll', onScroll);
      resized.disconnect();
    };
  }, []);
  const listHeight = props.total * ROW_HEIGHT;
  const height = Math.min(listHeight, MAX_HEIGHT);
  // The scroll position as the browser keeps it: within the area, even before a shrink's scroll event has come.
  const scrolled = Math.max(0, Math.min(scrollTop, height - viewport));
  const top = height > viewport ? (scrolled / (height - viewport)) * (listHeight - viewport) : 0;
  const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.max(first - 1, Math.min(props.total - 1, Math.floor((top + viewport) / ROW_HEIGHT) + OVERSCAN));
  const indexes = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const { ensure } = props;
  useEffect(() => {
    if (props.total > 0 && last >= first) ensure(first, last);
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
        <div role="rowgroup" style={{ height, position: 'relative', overflow: 'hidden' }}>
          {indexes.map((index) => {
            const contact = props.row(index);
            return (
              <div
                key={index}
                role="row"
                aria-rowindex={index + 2}
                className={`tr ${contact && props.selected.has(contact.id) ? 'selected' : ''}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${scrolled + index * ROW_HEIGHT - top}px)` }}
                data-testid="contact-row"
                data-index={index}
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
