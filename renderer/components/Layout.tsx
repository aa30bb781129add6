import { useEffect } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router-dom';
import { useI18n } from '../i18n/i18n';
import { useAppState } from '../state/app-state';
import { navItems } from '../routes';
import { useStorage } from '../state/use-storage';
import { ToastProvider } from '../state/toast';
import { UpdateBanner } from './updates/UpdateBanner';
import { useConversationsBadge } from '../state/use-conversations-badge';

export function Layout() {
  const { t } = useI18n();
  const { info, connected, accessLost } = useAppState();
  const storage = useStorage();
  const location = useLocation();
  const waiting = useConversationsBadge(location.pathname.startsWith('/respuestas'));
  // Another page opens at its top, not scrolled where the last one was (#30 item 9).
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [location.pathname]);
  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">W</span>
          <span className="brand-name">{t('app.name')}</span>
        </div>
        <nav aria-label={t('nav.label')}>
          <ul className="nav-list">
            {navItems.map((item) => (
              <li key={item.path}>
                <NavLink to={item.path} end={item.path === '/'} data-testid={`nav-${item.id}`} className="nav-link">
                  <span aria-hidden="true" className="nav-icon">{item.icon}</span>
                  {t(item.label)}
                  {item.id === 'inbox' && waiting > 0 && (
                    <span className="nav-badge" data-testid="nav-waiting" aria-label={t('inbox.waitingBadge', { count: waiting })}>{waiting}</span>
                  )}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-footer">
          {info.demo && <span className="badge badge-demo">{t('app.demoBadge')}</span>}
          <span className="version">v{info.version}</span>
        </div>
      </aside>
      <main className="content" id="main">
        {accessLost ? (
          <div role="alert" className="banner banner-error" data-testid="access-lost">
            {t('connection.unauthorized')}
          </div>
        ) : (
          !connected && (
            <div role="status" className="banner banner-warning" data-testid="connection-lost">
              {t('connection.lost')}
            </div>
          )
        )}
        {storage?.full && (
          <div role="alert" className="banner banner-error" data-testid="disk-full">
            {t('storage.full', { dir: info.dataDir })}
          </div>
        )}
        <UpdateBanner />
        <ToastProvider>
          <Outlet />
        </ToastProvider>
      </main>
    </div>
  );
}
