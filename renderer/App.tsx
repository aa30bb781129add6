import { useEffect, type ComponentType } from 'react';
import { createHashRouter, createRoutesFromElements, Route, RouterProvider } from 'react-router-dom';
import { ApiCallError } from './api/client';
import { Layout } from './components/Layout';
import { I18nProvider, errorText, translator } from './i18n/i18n';
import { HomePage } from './pages/HomePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { AppStateProvider, useAppLoader } from './state/app-state';

/**
 * A page loaded when first opened (#34): the home page comes with the app, each other page in its own file, so the
 * first screen loads about half of the JavaScript (1.1 MB before). The router waits for the file before it leaves the
 * current page.
 */
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return async () => ({ Component: (await load())[name] });
}

// A data router (hash URLs, as the app is served from a file in Electron): pages can ask before unsaved edits are lost.
const router = createHashRouter(
  createRoutesFromElements(
    <Route element={<Layout />}>
      <Route index element={<HomePage />} />
      <Route path="numeros" lazy={page(() => import('./pages/NumbersPage'), 'NumbersPage')} />
      <Route path="contactos" lazy={page(() => import('./pages/ContactsPage'), 'ContactsPage')} />
      <Route path="contactos/importar" lazy={page(() => import('./pages/ImportPage'), 'ImportPage')} />
      <Route path="segmentos" lazy={page(() => import('./pages/SegmentsPage'), 'SegmentsPage')} />
      <Route path="mensajes" lazy={page(() => import('./pages/MessagesPage'), 'MessagesPage')} />
      <Route path="campanas" lazy={page(() => import('./pages/CampaignsPage'), 'CampaignsPage')} />
      <Route path="campanas/nueva" lazy={page(() => import('./pages/CampaignWizardPage'), 'CampaignWizardPage')} />
      <Route path="campanas/:id" lazy={page(() => import('./pages/CampaignLivePage'), 'CampaignLivePage')} />
      <Route path="campanas/:id/reporte" lazy={page(() => import('./pages/ReportPage'), 'ReportPage')} />
      <Route path="respuestas" lazy={page(() => import('./pages/InboxPage'), 'InboxPage')} />
      <Route path="ajustes" lazy={page(() => import('./pages/SettingsPage'), 'SettingsPage')} />
      <Route path="api" lazy={page(() => import('./pages/ApiPage'), 'ApiPage')} />
      <Route path="*" element={<NotFoundPage />} />
    </Route>,
  ),
);

export function App() {
  const { load, connected, accessLost, updateSettings, retry } = useAppLoader();
  const language = load.status === 'ready' ? load.settings.language : 'es';

  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  if (load.status === 'loading') {
    return <div className="splash" data-testid="loading">{translator('es')('common.loading')}</div>;
  }
  if (load.status === 'failed') {
    const t = translator('es');
    const unauthorized = load.error instanceof ApiCallError && load.error.error.code === 'unauthorized';
    return (
      <div className="splash" role="alert" data-testid="load-failed">
        <p>{unauthorized ? t('connection.unauthorized') : errorText(t, load.error)}</p>
        <button type="button" onClick={() => void retry()}>
          {t('common.retry')}
        </button>
      </div>
    );
  }
  return (
    <I18nProvider language={language}>
      <AppStateProvider value={{ info: load.info, settings: load.settings, connected, accessLost, updateSettings }}>
        <RouterProvider router={router} />
      </AppStateProvider>
    </I18nProvider>
  );
}
