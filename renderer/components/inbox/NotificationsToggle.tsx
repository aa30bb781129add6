import { useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useAppState } from '../../state/app-state';

/** Desktop notifications need the user's yes once (the browser's, in web mode; the system's, in the desktop app). */
export function NotificationsToggle() {
  const { t } = useI18n();
  const { settings } = useAppState();
  const [permission, setPermission] = useState(() => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission));
  if (!settings.replyNotifications || permission === 'granted' || permission === 'unsupported') return null;
  if (permission === 'denied') return <p className="hint">{t('inbox.notificationsDenied')}</p>;
  return (
    <button type="button" className="button-secondary" onClick={() => void Notification.requestPermission().then(setPermission)} data-testid="notifications-allow">
      {t('inbox.notificationsAllow')}
    </button>
  );
}
