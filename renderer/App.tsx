import { useEffect } from 'react';
import { createHashRouter, createRoutesFromElements, Route, RouterProvider } from 'react-router-dom';
import { ApiCallError } from './api/client';
import { Layout } from './components/Layout';
import { I18nProvider, errorText, translator } from './i18n/i18n';
import { HomePage } from './pages/HomePage';
import { NotFoundPage } from './pages/NotFoundPage';
import { NumbersPage } from './pages/NumbersPage';
import { ContactsPage } from './pages/ContactsPage';
import { ImportPage } from './pages/ImportPage';
import { MessagesPage } from './pages/MessagesPage';
import { CampaignsPage } from './pages/CampaignsPage';
import { CampaignWizardPage } from './pages/CampaignWizardPage';
import { CampaignLivePage } from './pages/CampaignLivePage';
import { InboxPage } from './pages/InboxPage';
import { ReportPage } from './pages/ReportPage';
import { SettingsPage } from './pages/SettingsPage';
import { ApiPage } from './pages/ApiPage';
import { AppStateProvider, useAppLoader } from './state/app-state';

// A data router (hash URLs, as the app is served from a file in Electron): pages can ask before unsaved edits are lost.
const router = createHashRouter(
  createRoutesFromElements(
    <Route element={<Layout />}>
      <Route index element={<HomePage />} />
      <Route path="numeros" element={<NumbersPage />} />
      <Route path="contactos" element={<ContactsPage />} />
      <Route path="contactos/importar" element={<ImportPage />} />
      <Route path="mensajes" element={<MessagesPage />} />
      <Route path="campanas" element={<CampaignsPage />} />
      <Route path="campanas/nueva" element={<CampaignWizardPage />} />
      <Route path="campanas/:id" element={<CampaignLivePage />} />
      <Route path="campanas/:id/reporte" element={<ReportPage />} />
      <Route path="respuestas" element={<InboxPage />} />
      <Route path="ajustes" element={<SettingsPage />} />
      <Route path="api" element={<ApiPage />} />
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
