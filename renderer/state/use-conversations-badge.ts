import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import { formatPhone } from '../format';
import { useI18n } from '../i18n/i18n';
import { useAppState } from './app-state';

/**
 * The sidebar's count of conversations waiting for an answer, kept live; and a desktop notification for each new
 * reply while the user is elsewhere (another page, another window), when Settings and the user's permission allow.
 */
export function useConversationsBadge(onInbox: boolean): number {
  const { t } = useI18n();
  const { settings } = useAppState();
  const [waiting, setWaiting] = useState(0);
  const state = useRef({ onInbox, notify: settings.replyNotifications, t });
  useEffect(() => {
    state.current = { onInbox, notify: settings.replyNotifications, t };
  });

  useEffect(() => {
    let request = 0;
    const load = () => {
      const mine = ++request;
      api.call('conversations.stats', {}).then((s) => mine === request && setWaiting(s.waiting), () => undefined);
    };
    load();
    const offs = [
      api.on('inbox.changed', load),
      api.on('conversations.changed', (change) => {
        load();
        const { onInbox: here, notify, t: tr } = state.current;
        if (change.reason !== 'reply' || !change.phone || !notify || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
        if (here && document.visibilityState === 'visible') return;
        new Notification(tr('inbox.notifyTitle'), { body: tr('inbox.notifyBody', { phone: formatPhone(change.phone) }), tag: `reply-${change.phone}` });
      }),
    ];
    return () => offs.forEach((off) => off());
  }, []);
  return waiting;
}
