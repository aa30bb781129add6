import type { MenuItemConstructorOptions } from 'electron';
import type { Language } from '../../shared/types';
import { mainText } from '../i18n';

/** The application menu in the UI language; actions that need Electron are passed in. */
export function menuTemplate(
  language: Language,
  platform: NodeJS.Platform,
  actions: { openDataFolder(): void; openLogs(): void },
): MenuItemConstructorOptions[] {
  const t = (key: Parameters<typeof mainText>[1]) => mainText(language, key);
  const template: MenuItemConstructorOptions[] = [
    { label: t('menu.file'), submenu: [{ label: t('menu.quit'), role: 'quit' }] },
    {
      label: t('menu.edit'),
      submenu: [
        { label: t('menu.undo'), role: 'undo' },
        { label: t('menu.redo'), role: 'redo' },
        { type: 'separator' },
        { label: t('menu.cut'), role: 'cut' },
        { label: t('menu.copy'), role: 'copy' },
        { label: t('menu.paste'), role: 'paste' },
        { label: t('menu.selectAll'), role: 'selectAll' },
      ],
    },
    {
      label: t('menu.view'),
      submenu: [
        { label: t('menu.reload'), role: 'reload' },
        { type: 'separator' },
        { label: t('menu.zoomIn'), role: 'zoomIn' },
        { label: t('menu.zoomOut'), role: 'zoomOut' },
        { label: t('menu.resetZoom'), role: 'resetZoom' },
        { type: 'separator' },
        { label: t('menu.fullscreen'), role: 'togglefullscreen' },
      ],
    },
    {
      label: t('menu.help'),
      submenu: [
        { label: t('menu.openDataFolder'), click: actions.openDataFolder },
        { label: t('menu.openLogs'), click: actions.openLogs },
      ],
    },
  ];
  if (platform === 'darwin') template.unshift({ role: 'appMenu' });
  return template;
}
