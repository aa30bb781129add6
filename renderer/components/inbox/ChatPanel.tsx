import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import type { Chat } from '../../../shared/conversations';
import { api } from '../../api/client';
import { formatPhone, formatWhen } from '../../format';
import { errorText, useI18n } from '../../i18n/i18n';
import { ChatBubble } from './ChatBubble';
import { Composer } from './Composer';
import { TemplateOffer } from './TemplateOffer';

/** One person's chat: everything the business and they wrote, the answer box, and the conversation's label and note. */
export function ChatPanel({ phone, onChanged }: { phone: string; onChanged(): void }) {
  const { t, language } = useI18n();
  const [chat, setChat] = useState<Chat>();
  const [error, setError] = useState<string>();
  const [label, setLabel] = useState('');
  const [note, setNote] = useState('');
  const thread = useRef<HTMLOListElement>(null);
  const ids = { label: useId(), note: useId() };
  const latest = useRef(0);

  const show = useCallback((next: Chat) => {
    setChat(next);
    setLabel(next.conversation?.label ?? '');
    setNote(next.conversation?.note ?? '');
  }, []);

  // Opening marks it read (and tells WhatsApp, when Settings allow) and fills the label and note; later changes
  // read the chat again and leave what the user is typing alone. The panel is keyed by phone: another chat is
  // another panel, so nothing of this one (an answer still on its way) lands there.
  useEffect(() => {
    api.call('conversations.open', { phone }).then(show, (e: unknown) => setError(errorText(t, e)));
  }, [phone, show, t]);
  useEffect(
    () =>
      api.on('conversations.changed', (change) => {
        if (change.phone !== null && change.phone !== phone) return;
        const request = ++latest.current;
        const call = change.reason === 'reply' ? api.call('conversations.open', { phone }) : api.call('conversations.get', { phone });
        call.then((c) => request === latest.current && setChat((shown) => (shown ? c : shown)), () => undefined);
      }),
    [phone],
  );
  useEffect(() => {
    thread.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [chat?.items.length]);

  const decide = (replyId: number, optOut: boolean) =>
    void api
      .call('inbox.decide', { id: replyId, optOut })
      .then(() => api.call('conversations.get', { phone }))
      .then((c) => {
        setChat(c);
        onChanged();
      }, (e: unknown) => setError(errorText(t, e)));
  const setHandled = (handled: boolean) => void api.call('conversations.setHandled', { phone, handled }).then(onChanged, (e: unknown) => setError(errorText(t, e)));
  const saveMeta = () => {
    const conversation = chat?.conversation;
    if (!conversation || (label === (conversation.label ?? '') && note === (conversation.note ?? ''))) return;
    api.call('conversations.update', { phone, label: label || null, note: note || null }).then((c) => {
      setChat((current) => (current ? { ...current, conversation: c } : current));
      onChanged();
    }, (e: unknown) => setError(errorText(t, e)));
  };

  if (!chat) return <section className="chat-panel card" data-testid="chat">{error ? <p className="error" role="alert">{error}</p> : <p className="muted">{t('common.loading')}</p>}</section>;
  const conversation = chat.conversation;
  const off = chat.optedOut ? t('inbox.optedOutNoAnswer') : null;
  return (
    <section className="chat-panel card" data-testid="chat" data-phone={phone}>
      <header className="chat-header">
        <div>
          <h2 data-testid="chat-name">{chat.name ?? chat.username ?? formatPhone(phone)}</h2>
          <p className="muted">
            {formatPhone(phone)}
            {chat.username && <span data-testid="chat-username">{` · ${t('cloud.username', { name: chat.username })}`}</span>}
            {conversation?.numberLabel && ` · ${t('inbox.wroteTo', { number: conversation.numberLabel })}`}
            {chat.contactId !== null && (
              <>
                {' · '}
                <Link to={`/contactos?buscar=${encodeURIComponent(phone)}`}>{t('inbox.openContact')}</Link>
              </>
            )}
          </p>
          {chat.noPromotions && <span className="badge badge-warn" data-testid="chat-no-promotions">{t('cloud.noPromotions')}</span>}
        </div>
        {conversation && (
          <button type="button" className="button-secondary" onClick={() => setHandled(conversation.waiting)} data-testid="chat-handled">
            {conversation.waiting ? t('inbox.markHandled') : t('inbox.markUnhandled')}
          </button>
        )}
      </header>
      {conversation && (
        <div className="chat-meta">
          <label htmlFor={ids.label}>{t('inbox.label')}</label>
          <input id={ids.label} type="text" maxLength={40} value={label} placeholder={t('inbox.labelPlaceholder')} onChange={(e) => setLabel(e.target.value)} onBlur={saveMeta} data-testid="chat-label" />
          <label htmlFor={ids.note}>{t('inbox.note')}</label>
          <input id={ids.note} type="text" maxLength={2000} value={note} placeholder={t('inbox.notePlaceholder')} onChange={(e) => setNote(e.target.value)} onBlur={saveMeta} data-testid="chat-note" />
        </div>
      )}
      {chat.more && <p className="hint">{t('inbox.olderHidden')}</p>}
      <ol className="chat-thread" ref={thread}>
        {chat.items.map((item) => (
          <ChatBubble key={item.key} item={item} onDecide={decide} />
        ))}
      </ol>
      {error && <p className="error" role="alert">{error}</p>}
      {!off && chat.cloudWindow && (
        <p className={`hint ${chat.cloudWindow.open ? '' : 'banner banner-warning'}`} data-testid="chat-window" data-open={chat.cloudWindow.open}>
          {chat.cloudWindow.open && chat.cloudWindow.closesAt ? t('cloud.windowOpen', { when: formatWhen(chat.cloudWindow.closesAt, language) }) : t('cloud.windowClosed')}
        </p>
      )}
      {!off && chat.cloudWindow && !chat.cloudWindow.open ? (
        <TemplateOffer key={phone} phone={phone} numberId={chat.cloudWindow.numberId} name={chat.name} onSent={onChanged} />
      ) : (
        <Composer key={phone} phone={phone} disabled={off} onSent={onChanged} />
      )}
    </section>
  );
}
